/* Error values: see err.h for the convention. */
#include "err.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int kerr_code(const struct kerr *err)
{
	return err->errnum > 0 ? -err->errnum : -EINVAL;
}

int kerr_set(struct kerr *err, int errnum, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (errnum < 0)
		errnum = -errnum;
	if (err == NULL)
		return errnum > 0 ? -errnum : -EINVAL;
	err->errnum = errnum;
	va_start(ap, fmt);
	n = vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	if (errnum > 0 && (size_t)n < sizeof(err->msg))
		snprintf(err->msg + n, sizeof(err->msg) - (size_t)n, ": %s", strerror(errnum));
	return kerr_code(err);
}

int kerr_setx(struct kerr *err, int errnum, const char *fmt, ...)
{
	va_list ap;

	if (errnum < 0)
		errnum = -errnum;
	if (err == NULL)
		return errnum > 0 ? -errnum : -EINVAL;
	err->errnum = errnum;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return kerr_code(err);
}

int kerr_wrap(struct kerr *err, const char *fmt, ...)
{
	char prev[KERR_MSG_MAX - 2];
	va_list ap;
	int n;

	if (err == NULL)
		return -EINVAL;
	memcpy(prev, err->msg, sizeof(prev) - 1);
	prev[sizeof(prev) - 1] = '\0';
	va_start(ap, fmt);
	n = vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n < sizeof(err->msg))
		snprintf(err->msg + n, sizeof(err->msg) - (size_t)n, ": %s", prev);
	return kerr_code(err);
}

void kerr_clear(struct kerr *err)
{
	err->errnum = 0;
	err->msg[0] = '\0';
}
