/* The one error convention of kura.
 *
 * A fallible function returns a value < 0 on failure and fills a
 * `struct kerr` with the errno (0 when none applies) and a message that
 * names the object, e.g. "open `/run/kura/x/state.json`: No such file or
 * directory".  Callers add context on the way up with kerr_wrap(); only
 * cmd/ prints.  Library code never writes to stdout or stderr. */
#ifndef KURA_COMMON_ERR_H
#define KURA_COMMON_ERR_H

#include <stddef.h>

#define KERR_MSG_MAX 1024

struct kerr {
	int errnum;             /* errno of the first failure, 0 if none */
	char msg[KERR_MSG_MAX]; /* human readable, without trailing newline */
};

/* Set err to "fmt...: strerror(errnum)" (or just "fmt..." when errnum is
 * 0).  Returns -errnum, or -EINVAL when errnum is 0, so a caller can write
 * `return kerr_set(err, errno, "open `%s`", path);`. */
int kerr_set(struct kerr *err, int errnum, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Like kerr_set() but without the strerror() suffix: for errors whose
 * message says it all while callers still test the errno. */
int kerr_setx(struct kerr *err, int errnum, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Prefix context to an error already set: "ctx: previous message".
 * Returns the same negative value kerr_set() returned for it. */
int kerr_wrap(struct kerr *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The negative code for err (-errnum or -EINVAL). */
int kerr_code(const struct kerr *err);

void kerr_clear(struct kerr *err);

#endif
