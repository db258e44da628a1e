/* Cleanup attributes so that every early return releases what it holds.
 * Ownership is handed on explicitly with steal_ptr() / steal_fd(). */
#ifndef KURA_COMMON_CLEANUP_H
#define KURA_COMMON_CLEANUP_H

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static inline void cleanup_freep(void *p)
{
	free(*(void **)p);
}

static inline void cleanup_closep(int *fd)
{
	if (*fd >= 0) {
		int saved = errno;
		close(*fd);
		errno = saved;
	}
}

static inline void cleanup_fclosep(FILE **f)
{
	if (*f)
		fclose(*f);
}

static inline void cleanup_closedirp(DIR **d)
{
	if (*d)
		closedir(*d);
}

/* Free a NULL-terminated array of strings and the array. */
static inline void strv_free(char **v)
{
	if (!v)
		return;
	for (char **s = v; *s; s++)
		free(*s);
	free(v);
}

static inline void cleanup_strvp(char ***v)
{
	strv_free(*v);
}

#define _cleanup_(f)       __attribute__((cleanup(f)))
#define _cleanup_free_     _cleanup_(cleanup_freep)
#define _cleanup_close_    _cleanup_(cleanup_closep)
#define _cleanup_fclose_   _cleanup_(cleanup_fclosep)
#define _cleanup_closedir_ _cleanup_(cleanup_closedirp)
#define _cleanup_strv_     _cleanup_(cleanup_strvp)

#define steal_ptr(p)                                                                               \
	({                                                                                         \
		__typeof__(p) _tmp_ = (p);                                                         \
		(p) = NULL;                                                                        \
		_tmp_;                                                                             \
	})

#define steal_fd(fd)                                                                               \
	({                                                                                         \
		int _tmp_ = (fd);                                                                  \
		(fd) = -1;                                                                         \
		_tmp_;                                                                             \
	})

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
