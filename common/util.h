/* Small fd, file and string helpers shared by every module. */
#ifndef KURA_COMMON_UTIL_H
#define KURA_COMMON_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "err.h"

/* Allocation failure in a short-lived runtime process is not recoverable:
 * these abort with a message instead of returning NULL. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* write(2)/read(2) until done, retrying on EINTR.  read_all stops at EOF
 * and returns the number of bytes read; both return -errno on failure. */
ssize_t write_all(int fd, const void *buf, size_t len);
ssize_t read_all(int fd, void *buf, size_t len);

/* Read a whole file relative to dirfd (AT_FDCWD allowed) into a NUL
 * terminated buffer. */
int read_file_at(int dirfd, const char *path, char **ret, size_t *ret_len, struct kerr *err);

/* Open an existing file for writing (no O_CREAT, no truncation: fit for
 * /proc and /sys files) and write data to it. */
int write_file_at(int dirfd, const char *path, const char *data, size_t len, struct kerr *err);

/* Create or replace dirfd/name atomically: write a temporary file, fsync
 * it, rename it over name, fsync the directory. */
int write_file_atomic_at(int dirfd, const char *name, const char *data, size_t len, mode_t mode,
                         struct kerr *err);

/* The same for a path (relative to the cwd or absolute). */
int write_file_atomic(const char *path, const char *data, size_t len, mode_t mode,
                      struct kerr *err);

/* Parse a whole string as an unsigned decimal number. */
int parse_u64(const char *s, uint64_t *ret);

bool str_has_prefix(const char *s, const char *prefix);

/* Count the entries of a NULL-terminated string array. */
size_t strv_len(char *const *v);

/* Start time of pid in clock ticks since boot (field 22 of
 * /proc/PID/stat); used with the pid to tell a process from a later
 * process that reuses its pid. */
int proc_start_time(pid_t pid, uint64_t *ret, struct kerr *err);

/* Give the calling process the signal state a fresh program expects: no
 * signal blocked, none ignored (a shell started in the background
 * ignores SIGINT and SIGQUIT, and `run` blocks what it forwards; caught
 * signals are reset by execve itself).  Async-signal-safe. */
int signals_reset(void);

/* Current time as RFC 3339 with nanoseconds in UTC, e.g.
 * "2026-11-22T15:40:53.123456789Z". */
void rfc3339_now(char *buf, size_t len);

#endif
