/*-------------------------------------------------------------------------
 *
 * mh_common.c
 *	  Error values shared by the election core.
 *
 * src/core/mh_common.c
 *
 *-------------------------------------------------------------------------
 */
#include "mh_common.h"

#include <stdarg.h>
#include <stdio.h>

mh_status
mh_fail(mh_error *err, mh_status status, const char *fmt,...)
{
	if (err != NULL)
	{
		va_list		args;

		err->status = status;
		va_start(args, fmt);
		vsnprintf(err->detail, sizeof(err->detail), fmt, args);
		va_end(args);
	}
	return status;
}

const char *
mh_status_name(mh_status status)
{
	switch (status)
	{
		case MH_OK:
			return "ok";
		case MH_ESYNTAX:
			return "syntax";
		case MH_EOVERFLOW:
			return "overflow";
		case MH_ENEGATIVE:
			return "negative";
		case MH_EDUPLICATE:
			return "duplicate";
		case MH_EUNSORTED:
			return "unsorted";
		case MH_EINCONSISTENT:
			return "inconsistent";
		case MH_ETRUNCATED:
			return "truncated";
		case MH_ETRAILING:
			return "trailing";
		case MH_EVERSION:
			return "version";
		case MH_ETOOBIG:
			return "too big";
		case MH_EARGUMENT:
			return "argument";
		case MH_ENOMEM:
			return "out of memory";
	}
	return "unknown";
}
