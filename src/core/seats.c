/*-------------------------------------------------------------------------
 *
 * seats.c
 *	  Seats by party and the party-system indices (see seats.h), on the
 *	  core's counters and the tally's binary form.
 *
 * src/core/seats.c
 *
 *-------------------------------------------------------------------------
 */
#include "seats.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "tally_binary.h"

mh_status
mh_seats_init(mh_seats *s, const mh_allocator *alloc, uint64_t seed, mh_error *err)
{
	memset(s, 0, sizeof(*s));
	if (mh_counter_init(&s->votes, alloc, err) != MH_OK)
		return MH_ENOMEM;
	if (mh_counter_init(&s->won, alloc, err) != MH_OK)
	{
		mh_counter_release(&s->votes);
		return MH_ENOMEM;
	}
	if (mh_counter_init(&s->stood, alloc, err) != MH_OK)
	{
		mh_counter_release(&s->votes);
		mh_counter_release(&s->won);
		return MH_ENOMEM;
	}
	mh_counter_seed(&s->votes, seed);
	mh_counter_seed(&s->won, seed ^ UINT64_C(0x5EA75));
	mh_counter_seed(&s->stood, seed ^ UINT64_C(0xCA4D1DA7E5));
	return MH_OK;
}

void
mh_seats_release(mh_seats *s)
{
	mh_counter_release(&s->votes);
	mh_counter_release(&s->won);
	mh_counter_release(&s->stood);
}

mh_status
mh_seats_add(mh_seats *s, const mh_seat_candidate *candidates, size_t n,
			 bool registered_known, int64_t registered, int64_t cast,
			 int64_t invalid, mh_error *err)
{
	return mh_seats_add_seat(s, candidates, n, registered_known, registered, cast,
							 invalid, true, err);
}

mh_status
mh_seats_add_seat(mh_seats *s, const mh_seat_candidate *candidates, size_t n,
				  bool registered_known, int64_t registered, int64_t cast,
				  int64_t invalid, bool may_elect, mh_error *err)
{
	const mh_allocator *alloc = s->votes.alloc;
	int64_t		valid = 0,
				best = 0,
				sum,
				total_cast,
				total_registered = 0;
	size_t		i,
				winner = n;
	bool		tie = false;
	mh_status	status;

	if (n > MH_TALLY_MAX_CANDIDATES)
		return mh_fail(err, MH_ETOOBIG, "A constituency has more than %u candidates.",
					   MH_TALLY_MAX_CANDIDATES);
	if (cast < 0 || invalid < 0 || (registered_known && registered < 0))
		return mh_fail(err, MH_ENEGATIVE,
					   "Ballots cast, blank or invalid ballots and registered voters cannot be negative.");
	for (i = 0; i < n; i++)
	{
		mh_check_interrupts(alloc, i);
		if (candidates[i].votes < 0)
			return mh_fail(err, MH_ENEGATIVE,
						   "A candidate has %" PRId64 " votes, but counts cannot be negative.",
						   candidates[i].votes);
		if ((status = mh_key_check(candidates[i].party, candidates[i].party_len, err)) != MH_OK)
			return status;
		if (mh_add_overflow(valid, candidates[i].votes, &valid))
			return mh_fail(err, MH_EOVERFLOW, "A constituency's votes add up beyond the 64-bit range.");
		if (candidates[i].votes > best)
		{
			best = candidates[i].votes;
			winner = i;
			tie = false;
		}
		else if (candidates[i].votes == best && best > 0)
			tie = true;
	}
	if (tie || !may_elect)
		winner = n;
	if (mh_add_overflow(valid, invalid, &sum) || sum > cast)
		return mh_fail(err, MH_EINCONSISTENT,
					   "Candidate votes (%" PRId64 ") plus blank or invalid ballots (%" PRId64 ") exceed ballots cast (%" PRId64 ").",
					   valid, invalid, cast);
	if (registered_known && cast > registered)
		return mh_fail(err, MH_EINCONSISTENT,
					   "Ballots cast (%" PRId64 ") exceed registered voters (%" PRId64 ").",
					   cast, registered);
	if (mh_add_overflow(s->cast, cast, &total_cast))
		return mh_fail(err, MH_EOVERFLOW, "Ballots cast add up beyond the 64-bit range.");
	if (registered_known && !s->registered_unknown &&
		mh_add_overflow(s->registered, registered, &total_registered))
		return mh_fail(err, MH_EOVERFLOW, "Registered voters add up beyond the 64-bit range.");

	for (i = 0; i < n; i++)
	{
		const mh_seat_candidate *c = &candidates[i];

		if ((status = mh_counter_add_key_votes(&s->votes, false, c->party, c->party_len,
											   c->votes, err)) != MH_OK ||
			(status = mh_counter_add_key_votes(&s->stood, false, c->party, c->party_len,
											   1, err)) != MH_OK)
			return status;
	}
	if (invalid > 0 &&
		(status = mh_counter_add_key_votes(&s->votes, true, NULL, 0, invalid, err)) != MH_OK)
		return status;
	if (winner < n)
		status = mh_counter_add_key_votes(&s->won, false, candidates[winner].party,
										  candidates[winner].party_len, 1, err);
	else
		status = mh_counter_add_key_votes(&s->won, true, NULL, 0, 1, err);
	if (status != MH_OK)
		return status;

	s->cast = total_cast;
	if (!registered_known)
		s->registered_unknown = true;
	s->registered = s->registered_unknown ? 0 : total_registered;
	return MH_OK;
}

mh_status
mh_seats_merge(mh_seats *s, const mh_seats *other, mh_error *err)
{
	int64_t		cast,
				registered = 0;
	bool		unknown = s->registered_unknown || other->registered_unknown;
	mh_status	status;

	if (mh_add_overflow(s->cast, other->cast, &cast))
		return mh_fail(err, MH_EOVERFLOW, "Ballots cast add up beyond the 64-bit range.");
	if (!unknown && mh_add_overflow(s->registered, other->registered, &registered))
		return mh_fail(err, MH_EOVERFLOW, "Registered voters add up beyond the 64-bit range.");
	if ((status = mh_counter_merge(&s->votes, &other->votes, err)) != MH_OK ||
		(status = mh_counter_merge(&s->won, &other->won, err)) != MH_OK ||
		(status = mh_counter_merge(&s->stood, &other->stood, err)) != MH_OK)
		return status;
	s->cast = cast;
	s->registered_unknown = unknown;
	s->registered = registered;
	return MH_OK;
}

/* A counter as a tally, allocated with alloc. */
static mh_status
counter_tally(const mh_counter *c, const mh_allocator *alloc, mh_tally **t, mh_error *err)
{
	size_t		size = mh_counter_tally_size(c);

	*t = alloc->alloc(alloc->ctx, size);
	if (*t == NULL)
		return mh_fail(err, MH_ENOMEM, "Out of memory for a tally of %zu bytes.", size);
	mh_counter_to_tally(c, *t);
	return MH_OK;
}

static void
free_tally(const mh_allocator *alloc, mh_tally *t)
{
	if (t != NULL && alloc->free != NULL)
		alloc->free(alloc->ctx, t);
}

void
mh_seats_result_release(mh_seats_result *r, const mh_allocator *alloc)
{
	free_tally(alloc, r->votes);
	free_tally(alloc, r->won);
	free_tally(alloc, r->stood);
	if (r->rows != NULL && alloc->free != NULL)
		alloc->free(alloc->ctx, r->rows);
	memset(r, 0, sizeof(*r));
}

/* A party's count in a text-keyed tally, 0 if it is not there. */
static int64_t
count_of(const mh_tally *t, const char *label, uint32_t len)
{
	const mh_vote *v;

	if (mh_tally_key_kind(t) != MH_KEYS_TEXT)
		return 0;
	v = mh_tally_find_key(t, label, len);
	return v == NULL ? 0 : v->votes;
}

/* The rows and national line of r from its three tallies. */
static mh_status
fill_result(mh_seats_result *r, const mh_allocator *alloc, mh_error *err)
{
	uint32_t	i;

	r->seats = r->won->cast;
	r->filled = mh_tally_valid_votes(r->won);
	r->invalid = r->votes->invalid;
	r->valid = mh_tally_valid_votes(r->votes);
	r->candidates = mh_tally_valid_votes(r->stood);
	r->nparties = mh_tally_key_kind(r->votes) == MH_KEYS_TEXT ? r->votes->ncandidates : 0;
	r->rows = NULL;
	if (r->nparties == 0)
		return MH_OK;
	r->rows = alloc->alloc(alloc->ctx, (size_t) r->nparties * sizeof(mh_party_row));
	if (r->rows == NULL)
		return mh_fail(err, MH_ENOMEM, "Out of memory for %u parties.", r->nparties);
	for (i = 0; i < r->nparties; i++)
	{
		mh_party_row *row = &r->rows[i];

		mh_check_interrupts(alloc, i);
		mh_tally_key(r->votes, i, &row->label, &row->len);
		row->votes = r->votes->votes[i].votes;
		row->seats = count_of(r->won, row->label, row->len);
		row->candidates = count_of(r->stood, row->label, row->len);
	}
	return MH_OK;
}

mh_status
mh_seats_result_make(const mh_seats *s, const mh_allocator *alloc,
					 mh_seats_result *r, mh_error *err)
{
	mh_status	status;

	memset(r, 0, sizeof(*r));
	r->cast = s->cast;
	r->registered = s->registered;
	r->registered_unknown = s->registered_unknown;
	if ((status = counter_tally(&s->votes, alloc, &r->votes, err)) != MH_OK ||
		(status = counter_tally(&s->won, alloc, &r->won, err)) != MH_OK ||
		(status = counter_tally(&s->stood, alloc, &r->stood, err)) != MH_OK ||
		(status = fill_result(r, alloc, err)) != MH_OK)
	{
		mh_seats_result_release(r, alloc);
		return status;
	}
	return MH_OK;
}

int64_t
mh_seats_find(const mh_seats_result *r, const char *label, uint32_t len)
{
	uint32_t	lo = 0,
				hi = r->nparties;

	while (lo < hi)
	{
		uint32_t	mid = lo + (hi - lo) / 2;
		int			c = mh_key_compare(r->rows[mid].label, r->rows[mid].len, label, len);

		if (c == 0)
			return mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

int64_t
mh_seats_most(const mh_seats_result *r)
{
	int64_t		most = 0;
	uint32_t	i;

	for (i = 0; i < r->nparties; i++)
		if (r->rows[i].seats > most)
			most = r->rows[i].seats;
	return most;
}

int64_t
mh_seats_largest(const mh_seats_result *r)
{
	int64_t		best = -1;
	bool		tie = false;
	uint32_t	i;

	for (i = 0; i < r->nparties; i++)
	{
		if (r->rows[i].seats == 0)
			continue;
		if (best < 0 || r->rows[i].seats > r->rows[best].seats)
		{
			best = i;
			tie = false;
		}
		else if (r->rows[i].seats == r->rows[best].seats)
			tie = true;
	}
	return tie ? -1 : best;
}

/* For mh_seats_order: sorting row pointers, since qsort has no context. */
static int
order_cmp(const void *a, const void *b)
{
	const mh_party_row *x = *(const mh_party_row *const *) a;
	const mh_party_row *y = *(const mh_party_row *const *) b;

	if (x->seats != y->seats)
		return x->seats > y->seats ? -1 : 1;
	if (x->votes != y->votes)
		return x->votes > y->votes ? -1 : 1;
	return mh_key_compare(x->label, x->len, y->label, y->len);
}

mh_status
mh_seats_order(const mh_seats_result *r, const mh_allocator *alloc, uint32_t **order,
			   mh_error *err)
{
	const mh_party_row **rows;
	uint32_t   *result;
	uint32_t	i;

	*order = NULL;
	if (r->nparties == 0)
		return MH_OK;
	rows = alloc->alloc(alloc->ctx, (size_t) r->nparties * sizeof(*rows));
	result = alloc->alloc(alloc->ctx, (size_t) r->nparties * sizeof(uint32_t));
	if (rows == NULL || result == NULL)
	{
		if (alloc->free != NULL)
		{
			if (rows != NULL)
				alloc->free(alloc->ctx, rows);
			if (result != NULL)
				alloc->free(alloc->ctx, result);
		}
		return mh_fail(err, MH_ENOMEM, "Out of memory for %u parties.", r->nparties);
	}
	for (i = 0; i < r->nparties; i++)
		rows[i] = &r->rows[i];
	mh_sort(rows, r->nparties, sizeof(*rows), order_cmp, alloc);
	for (i = 0; i < r->nparties; i++)
		result[i] = (uint32_t) (rows[i] - r->rows);
	if (alloc->free != NULL)
		alloc->free(alloc->ctx, rows);
	*order = result;
	return MH_OK;
}

void
mh_seats_indices(const mh_seats_result *r, mh_party_indices *out)
{
	double		sq = 0,
				ab = 0,
				v2 = 0,
				s2 = 0;
	uint32_t	i;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < r->nparties; i++)
	{
		double		v = r->valid > 0 ? (double) r->rows[i].votes / (double) r->valid : 0;
		double		e = r->filled > 0 ? (double) r->rows[i].seats / (double) r->filled : 0;

		sq += (v - e) * (v - e);
		ab += fabs(v - e);
		v2 += v * v;
		s2 += e * e;
	}
	out->disproportionality_known = r->valid > 0 && r->filled > 0;
	if (out->disproportionality_known)
	{
		out->gallagher = 100 * sqrt(sq / 2);
		out->loosemore_hanby = 100 * ab / 2;
	}
	out->enp_votes_known = r->valid > 0;
	if (out->enp_votes_known)
		out->enp_votes = 1 / v2;
	out->enp_seats_known = r->filled > 0;
	if (out->enp_seats_known)
		out->enp_seats = 1 / s2;
}

/* ---------------------------------------------------------------- binary */

#define SEATS_HEADER_SIZE	(1 + 1 + 8 + 8)

static uint8_t *
put_tally(uint8_t *p, const mh_tally *t)
{
	size_t		size = mh_tally_binary_size(t);

	p = mh_put32(p, (uint32_t) size);
	mh_tally_encode(t, p);
	return p + size;
}

mh_status
mh_seats_encode(const mh_seats_result *r, const mh_allocator *alloc, uint8_t **buf,
				size_t *len, mh_error *err)
{
	size_t		sizes[3] = {mh_tally_binary_size(r->votes), mh_tally_binary_size(r->won),
	mh_tally_binary_size(r->stood)};
	size_t		total = SEATS_HEADER_SIZE;
	uint8_t    *p;
	int			i;

	for (i = 0; i < 3; i++)
	{
		if (sizes[i] > UINT32_MAX)
			return mh_fail(err, MH_ETOOBIG, "A seats state's tally takes %zu bytes.", sizes[i]);
		total += 4 + sizes[i];
	}
	p = alloc->alloc(alloc->ctx, total);
	if (p == NULL)
		return mh_fail(err, MH_ENOMEM, "Out of memory for a seats state of %zu bytes.", total);
	*buf = p;
	*len = total;
	*p++ = MH_SEATS_VERSION;
	*p++ = r->registered_unknown ? 1 : 0;
	p = mh_put64(p, r->cast);
	p = mh_put64(p, r->registered);
	p = put_tally(p, r->votes);
	p = put_tally(p, r->won);
	(void) put_tally(p, r->stood);
	return MH_OK;
}

/* The three tallies of a decoded state agree with each other and its header. */
static mh_status
check_decoded(const mh_seats_result *r, mh_error *err)
{
	uint32_t	i;

	if (mh_tally_key_kind(r->votes) == MH_KEYS_INT || mh_tally_key_kind(r->won) == MH_KEYS_INT ||
		mh_tally_key_kind(r->stood) == MH_KEYS_INT)
		return mh_fail(err, MH_EKIND, "A seats state's parties are keyed by numbers.");
	if (r->stood->ncandidates != r->votes->ncandidates || r->stood->invalid != 0 ||
		r->stood->cast != r->candidates || r->votes->cast != r->valid + r->invalid ||
		r->won->cast != r->filled + r->won->invalid)
		return mh_fail(err, MH_EINCONSISTENT,
					   "A seats state's votes, seats and candidates do not add up.");
	for (i = 0; i < r->nparties; i++)
	{
		const char *key;
		uint32_t	len;

		mh_tally_key(r->stood, i, &key, &len);
		if (mh_key_compare(key, len, r->rows[i].label, r->rows[i].len) != 0 ||
			r->rows[i].candidates < 1)
			return mh_fail(err, MH_EINCONSISTENT,
						   "A seats state's candidates and votes name different parties.");
		if (r->rows[i].seats > r->rows[i].candidates)
			return mh_fail(err, MH_EINCONSISTENT,
						   "A seats state gives a party more seats than it had candidates.");
	}
	for (i = 0; i < r->won->ncandidates; i++)
	{
		const char *key;
		uint32_t	len;

		mh_tally_key(r->won, i, &key, &len);
		if (r->won->votes[i].votes < 1)
			return mh_fail(err, MH_EINCONSISTENT,
						   "A seats state lists a party with no seat among the seats won.");
		if (mh_seats_find(r, key, len) < 0)
			return mh_fail(err, MH_EINCONSISTENT,
						   "A seats state gives a seat to a party with no votes recorded.");
	}
	if (mh_tally_registered_known(r->votes) || mh_tally_registered_known(r->won) ||
		mh_tally_registered_known(r->stood))
		return mh_fail(err, MH_EINCONSISTENT,
					   "A seats state's tallies carry registered voters, which only its header holds.");
	if (r->cast < r->votes->cast || (!r->registered_unknown && r->registered < r->cast) ||
		(r->registered_unknown && r->registered != 0))
		return mh_fail(err, MH_EINCONSISTENT,
					   "A seats state's ballots cast or registered voters contradict its votes.");
	return MH_OK;
}

mh_status
mh_seats_decode(const uint8_t *buf, size_t len, mh_seats *s, const mh_allocator *alloc,
				uint64_t seed, mh_error *err)
{
	const uint8_t *p = buf,
			   *end = buf + len;
	mh_seats_result r;
	mh_tally  **parts[3];
	mh_status	status = MH_OK;
	int			i;

	memset(&r, 0, sizeof(r));
	parts[0] = &r.votes;
	parts[1] = &r.won;
	parts[2] = &r.stood;
	if (len < SEATS_HEADER_SIZE)
		return mh_fail(err, MH_ETRUNCATED, "A seats state needs at least %d bytes, got %zu.",
					   SEATS_HEADER_SIZE, len);
	if (p[0] != MH_SEATS_VERSION)
		return mh_fail(err, MH_EVERSION, "Unknown seats state version %u.", p[0]);
	if (p[1] > 1)
		return mh_fail(err, MH_EVERSION, "Unknown seats state flags %u.", p[1]);
	r.registered_unknown = p[1] == 1;
	r.cast = mh_get64(p + 2);
	r.registered = mh_get64(p + 10);
	p += SEATS_HEADER_SIZE;
	if (r.cast < 0 || r.registered < 0)
		return mh_fail(err, MH_ENEGATIVE, "A seats state holds a negative count.");
	for (i = 0; i < 3 && status == MH_OK; i++)
	{
		size_t		size;

		if (end - p < 4)
		{
			status = mh_fail(err, MH_ETRUNCATED, "A seats state ends before its tally %d.", i + 1);
			break;
		}
		size = mh_get32(p);
		p += 4;
		if (size > (size_t) (end - p))
		{
			status = mh_fail(err, MH_ETRUNCATED, "A seats state ends inside its tally %d.", i + 1);
			break;
		}
		status = mh_tally_decode(p, size, alloc, parts[i], err);
		p += size;
	}
	if (status == MH_OK && p != end)
		status = mh_fail(err, MH_ETRAILING, "A seats state has %zu bytes after its last tally.",
						 (size_t) (end - p));
	if (status == MH_OK)
		status = fill_result(&r, alloc, err);
	if (status == MH_OK)
		status = check_decoded(&r, err);
	if (status == MH_OK)
		status = mh_seats_init(s, alloc, seed, err);
	if (status == MH_OK)
	{
		if ((status = mh_counter_add_tally(&s->votes, r.votes, err)) != MH_OK ||
			(status = mh_counter_add_tally(&s->won, r.won, err)) != MH_OK ||
			(status = mh_counter_add_tally(&s->stood, r.stood, err)) != MH_OK)
			mh_seats_release(s);
		else
		{
			s->cast = r.cast;
			s->registered = r.registered;
			s->registered_unknown = r.registered_unknown;
		}
	}
	mh_seats_result_release(&r, alloc);
	return status;
}
