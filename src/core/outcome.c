/*-------------------------------------------------------------------------
 *
 * outcome.c
 *	  Validity, winner, ties and by-elections (rules in outcome.h).
 *
 * src/core/outcome.c
 *
 *-------------------------------------------------------------------------
 */
#include "outcome.h"

#include <string.h>

#define MAX_DECIMALS 18

#if defined(__SIZEOF_INT128__)
__extension__ typedef unsigned __int128 uint128;
#endif

mh_status
mh_fraction_parse(const char *text, mh_fraction *result, mh_error *err)
{
	const char *p = text;
	uint64_t	num = 0,
				den = 1;
	int			digits = 0,
				decimals = 0;

	if (*p == '+')
		p++;
	while (*p >= '0' && *p <= '9')
	{
		if (num > 1)			/* anything above 1 is out of range anyway */
			return mh_fail(err, MH_EARGUMENT,
						   "The threshold is %s, but it must lie between 0 and 1.", text);
		num = num * 10 + (uint64_t) (*p++ - '0');
		digits++;
	}
	/* checked before the decimals, which would overflow num otherwise */
	if (num > 1)
		return mh_fail(err, MH_EARGUMENT,
					   "The threshold is %s, but it must lie between 0 and 1.", text);
	if (*p == '.')
	{
		p++;
		while (*p >= '0' && *p <= '9')
		{
			if (decimals == MAX_DECIMALS)
			{
				/* further digits must be zeros: exactness beats precision */
				if (*p != '0')
					return mh_fail(err, MH_EARGUMENT,
								   "The threshold %s has more than %d significant decimal places.",
								   text, MAX_DECIMALS);
				p++;
				continue;
			}
			num = num * 10 + (uint64_t) (*p++ - '0');
			den *= 10;
			decimals++;
			digits++;
		}
	}
	if (*p != '\0' || digits == 0)
		return mh_fail(err, MH_EARGUMENT,
					   "The threshold \"%s\" is not a plain decimal number.", text);
	if (num > den)
		return mh_fail(err, MH_EARGUMENT,
					   "The threshold is %s, but it must lie between 0 and 1.", text);
	result->num = num;
	result->den = den;
	return MH_OK;
}

/* 64 x 64 -> 128-bit unsigned product, as (high, low) words. */
static void
mul_u64(uint64_t a, uint64_t b, uint64_t *hi, uint64_t *lo)
{
#if defined(__SIZEOF_INT128__)
	uint128		p = (uint128) a * b;

	*hi = (uint64_t) (p >> 64);
	*lo = (uint64_t) p;
#else
	uint64_t	a_lo = a & 0xFFFFFFFFu,
				a_hi = a >> 32;
	uint64_t	b_lo = b & 0xFFFFFFFFu,
				b_hi = b >> 32;
	uint64_t	ll = a_lo * b_lo,
				lh = a_lo * b_hi,
				hl = a_hi * b_lo,
				hh = a_hi * b_hi;
	uint64_t	mid = (ll >> 32) + (lh & 0xFFFFFFFFu) + (hl & 0xFFFFFFFFu);

	*lo = (mid << 32) | (ll & 0xFFFFFFFFu);
	*hi = hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
#endif
}

bool
mh_turnout_exceeds(int64_t cast, int64_t registered, mh_fraction threshold)
{
	uint64_t	lhi,
				llo,
				rhi,
				rlo;

	/* counts are never negative in a checked tally */
	mul_u64((uint64_t) cast, threshold.den, &lhi, &llo);
	mul_u64((uint64_t) registered, threshold.num, &rhi, &rlo);
	return lhi > rhi || (lhi == rhi && llo > rlo);
}

int64_t
mh_ballots_needed(int64_t registered, mh_fraction threshold)
{
	/*
	 * floor(registered x num / den) + 1.  The quotient fits in 64 bits
	 * because num <= den.
	 */
	uint64_t	hi,
				lo,
				q = 0;

	mul_u64((uint64_t) registered, threshold.num, &hi, &lo);
#if defined(__SIZEOF_INT128__)
	q = (uint64_t) ((((uint128) hi << 64) | lo) / threshold.den);
#else
	{
		/* restoring division, one bit at a time */
		uint64_t	r = 0;
		int			bit;

		for (bit = 127; bit >= 0; bit--)
		{
			uint64_t	b = bit >= 64 ? (hi >> (bit - 64)) & 1 : (lo >> bit) & 1;
			bool		carry = (r >> 63) != 0;

			r = (r << 1) | b;
			q <<= 1;
			if (carry || r >= threshold.den)
			{
				r -= threshold.den;
				q |= 1;
			}
		}
	}
#endif
	if (q >= (uint64_t) INT64_MAX)
		return -1;
	return (int64_t) q + 1;
}

uint64_t
mh_lots_ticket(int64_t seed, int64_t candidate)
{
	uint64_t	z = (uint64_t) seed + UINT64_C(0x9E3779B97F4A7C15) * ((uint64_t) candidate + 1);

	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

int64_t
mh_key_lots_number(const char *key, uint32_t len)
{
	/* FNV-1a: fixed, so a draw never depends on a counter's random seed */
	uint64_t	h = UINT64_C(0xCBF29CE484222325);
	uint32_t	i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char) key[i]) * UINT64_C(0x100000001B3);
	return (int64_t) h;
}

static const struct
{
	const char *name;
	bool		no_turnout_rule;
	mh_fraction threshold;
}			named_rules[] = {
	{"kz1994", false, {1, 2}},
	{"none", true, {0, 1}},
};

bool
mh_rules_named(const char *name, mh_rules *rules)
{
	size_t		i;

	for (i = 0; i < sizeof(named_rules) / sizeof(named_rules[0]); i++)
		if (strcmp(name, named_rules[i].name) == 0)
		{
			rules->no_turnout_rule = named_rules[i].no_turnout_rule;
			rules->threshold_known = true;
			rules->threshold = named_rules[i].threshold;
			return true;
		}
	return false;
}

const char *
mh_rules_names(void)
{
	return "kz1994, none";
}

/* The number a candidate draws lots with. */
static int64_t
lots_number(const mh_tally *t, uint32_t i)
{
	const char *key;
	uint32_t	len;

	if (mh_tally_key_kind(t) != MH_KEYS_TEXT)
		return t->votes[i].candidate;
	mh_tally_key(t, i, &key, &len);
	return mh_key_lots_number(key, len);
}

void
mh_outcome_compute(const mh_tally *t, const mh_rules *rules, mh_outcome *out)
{
	int64_t		first = -1,
				second = -1;
	uint32_t	first_who = 0,
				second_who = 0;
	uint32_t	nfirst = 0,
				nsecond = 0;
	uint32_t	i;

	memset(out, 0, sizeof(*out));
	out->invalid = t->invalid;
	out->cast = t->cast;

	/* one pass: the top two vote counts and how many share each */
	for (i = 0; i < t->ncandidates; i++)
	{
		int64_t		v = t->votes[i].votes;

		out->valid_votes += v;
		if (v > first)
		{
			second = first;
			second_who = first_who;
			nsecond = nfirst;
			first = v;
			first_who = i;
			nfirst = 1;
		}
		else if (v == first)
		{
			nfirst++;
		}
		else if (v > second)
		{
			second = v;
			second_who = i;
			nsecond = 1;
		}
		else if (v == second)
			nsecond++;
	}

	out->has_first = t->ncandidates >= 1;
	out->first_votes = out->has_first ? first : 0;
	out->has_second = t->ncandidates >= 2;
	out->second_votes = !out->has_second ? 0 : nfirst >= 2 ? first : second;
	out->tied = out->has_first ? nfirst : 0;
	out->tie = nfirst >= 2 && first > 0;
	out->has_leader = nfirst == 1 && first > 0;
	out->leader_index = out->has_leader ? first_who : 0;
	out->leader = out->has_leader ? t->votes[first_who].candidate : 0;
	out->has_runner_up = out->has_leader && nsecond == 1;
	out->runner_up_index = out->has_runner_up ? second_who : 0;
	out->runner_up = out->has_runner_up ? t->votes[second_who].candidate : 0;

	/* validity by turnout */
	if (rules->registered_known || rules->registered_given)
	{
		out->registered_known = rules->registered_known;
		out->registered = rules->registered_known ? rules->registered : 0;
	}
	else if (mh_tally_registered_known(t))
	{
		out->registered_known = true;
		out->registered = t->registered;
	}
	if (rules->no_turnout_rule)
		out->valid = MH_TRUE;
	else if (rules->threshold_known && rules->threshold.num == 0)
		out->valid = t->cast > 0 ? MH_TRUE : MH_FALSE;	/* cast > registered x 0 */
	else if (!out->registered_known || !rules->threshold_known)
		out->valid = MH_UNKNOWN;
	else
		out->valid = mh_turnout_exceeds(t->cast, out->registered, rules->threshold) ?
			MH_TRUE : MH_FALSE;

	/* by-election, first reason that applies */
	out->by_election = MH_TRUE;
	if (t->ncandidates == 0)
		out->reason = MH_REASON_NO_CANDIDATES;
	else if (out->valid == MH_FALSE)
		out->reason = MH_REASON_LOW_TURNOUT;
	else if (first == 0)
		out->reason = MH_REASON_NO_VALID_VOTES;
	else if (out->tie && !rules->draw_lots)
		out->reason = MH_REASON_TIE;
	else if (out->valid == MH_UNKNOWN)
		out->by_election = MH_UNKNOWN;
	else
	{
		out->by_election = MH_FALSE;
		out->has_winner = true;
		if (out->has_leader)
		{
			out->winner = out->leader;
			out->winner_index = out->leader_index;
		}
		else
		{
			uint64_t	best = 0;
			bool		any = false;

			for (i = 0; i < t->ncandidates; i++)
			{
				uint64_t	ticket;

				if (t->votes[i].votes != first)
					continue;
				ticket = mh_lots_ticket(rules->lots_seed, lots_number(t, i));
				/* ascending candidates: ">" keeps the lower one on equal tickets */
				if (!any || ticket > best)
				{
					best = ticket;
					out->winner = t->votes[i].candidate;
					out->winner_index = i;
					any = true;
				}
			}
			out->drawn = true;
		}
	}
}

const char *
mh_reason_label(mh_reason reason)
{
	switch (reason)
	{
		case MH_REASON_NONE:
			return NULL;
		case MH_REASON_LOW_TURNOUT:
			return "low_turnout";
		case MH_REASON_TIE:
			return "tie";
		case MH_REASON_NO_CANDIDATES:
			return "no_candidates";
		case MH_REASON_NO_VALID_VOTES:
			return "no_valid_votes";
	}
	return NULL;
}
