/*-------------------------------------------------------------------------
 *
 * candidate_sql.c
 *	  Argument checks for the candidate rules (candidate_violations), whose
 *	  body is SQL: what SQL cannot say clearly, an out-of-range rule
 *	  parameter, is raised here.
 *
 * src/candidate_sql.c
 *
 *-------------------------------------------------------------------------
 */
#include "maslihat.h"

/* The oldest minimum age a rule may ask for, in years. */
#define MAX_MIN_AGE 150

/*
 * candidate_min_age(min_age): min_age itself when it is a possible age,
 * else ERROR.  Without it make_interval(years => min_age) wraps around for
 * huge values, and a day-old candidate would pass a 2147483647-year rule.
 */
PG_FUNCTION_INFO_V1(candidate_min_age);
Datum
candidate_min_age(PG_FUNCTION_ARGS)
{
	int32		min_age = PG_GETARG_INT32(0);

	if (min_age < 0 || min_age > MAX_MIN_AGE)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("minimum age %d is out of range", min_age),
				 errdetail("A minimum age is between 0 and %d years.", MAX_MIN_AGE),
				 errhint("The 1994 rule is 20 years, the default.")));
	PG_RETURN_INT32(min_age);
}
