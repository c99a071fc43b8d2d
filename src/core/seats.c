/*-------------------------------------------------------------------------
 *
 * seats.c
 *	  Seats by party and the party-system indices (see seats.h).
 *
 * Parties are kept in one array sorted by label.  A constituency's
 * candidates become a small sorted batch (one entry per label, the seat
 * on the winner's), which is merged into the array: in place when every
 * label is already there (the common case once the first constituencies
 * are in), else by a sorted merge into a new array.  Every count is
 * checked before anything changes, so an error leaves the state as it
 * was.
 *
 * src/core/seats.c
 *
 *-------------------------------------------------------------------------
 */
#include "seats.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

void
mh_seats_init(mh_seats *s, const mh_allocator *alloc)
{
	memset(s, 0, sizeof(*s));
	s->alloc = alloc;
}

void
mh_seats_release(mh_seats *s)
{
	uint32_t	i;

	if (s->alloc != NULL && s->alloc->free != NULL)
	{
		for (i = 0; i < s->nparties; i++)
			s->alloc->free(s->alloc->ctx, s->parties[i].label);
		if (s->parties != NULL)
			s->alloc->free(s->alloc->ctx, s->parties);
	}
	s->parties = NULL;
	s->nparties = s->capacity = 0;
}

/* Bytewise, a shorter label before its extensions. */
static int
label_cmp(const char *a, uint32_t alen, const char *b, uint32_t blen)
{
	int			c = memcmp(a, b, alen < blen ? alen : blen);

	if (c != 0)
		return c;
	return alen < blen ? -1 : alen > blen ? 1 : 0;
}

static int
party_cmp(const void *a, const void *b)
{
	const mh_party *x = a;
	const mh_party *y = b;

	return label_cmp(x->label, x->len, y->label, y->len);
}

int64_t
mh_seats_find(const mh_seats *s, const char *label, uint32_t len)
{
	uint32_t	lo = 0,
				hi = s->nparties;

	while (lo < hi)
	{
		uint32_t	mid = lo + (hi - lo) / 2;
		int			c = label_cmp(s->parties[mid].label, s->parties[mid].len, label, len);

		if (c == 0)
			return mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static mh_status
add_checked(int64_t *total, int64_t a, int64_t b, const char *what, mh_error *err)
{
	if (mh_add_overflow(a, b, total))
		return mh_fail(err, MH_EOVERFLOW, "%s add up beyond the 64-bit range.", what);
	return MH_OK;
}

static char *
copy_label(const mh_allocator *alloc, const char *label, uint32_t len)
{
	/* one byte more, so that an empty label is not a zero-byte request */
	char	   *copy = alloc->alloc(alloc->ctx, (size_t) len + 1);

	if (copy != NULL)
	{
		if (len > 0)
			memcpy(copy, label, len);
		copy[len] = '\0';
	}
	return copy;
}

/*
 * Merges a sorted batch of distinct labels (borrowed label pointers) into
 * the state's parties.  All or nothing.
 */
static mh_status
merge_batch(mh_seats *s, const mh_party *batch, uint32_t n, mh_error *err)
{
	const mh_allocator *alloc = s->alloc;
	uint32_t	i,
				j,
				k,
				fresh = 0;
	mh_party   *merged;
	int64_t		x;

	/* check every sum, and count the new labels */
	for (i = 0; i < n; i++)
	{
		int64_t		at = mh_seats_find(s, batch[i].label, batch[i].len);

		mh_check_interrupts(alloc, i);
		if (at < 0)
		{
			fresh++;
			continue;
		}
		if (mh_add_overflow(s->parties[at].seats, batch[i].seats, &x) ||
			mh_add_overflow(s->parties[at].votes, batch[i].votes, &x) ||
			mh_add_overflow(s->parties[at].candidates, batch[i].candidates, &x))
			return mh_fail(err, MH_EOVERFLOW,
						   "A party's seats, votes or candidates add up beyond the 64-bit range.");
	}

	if (fresh == 0)
	{
		for (i = 0; i < n; i++)
		{
			mh_party   *p = &s->parties[mh_seats_find(s, batch[i].label, batch[i].len)];

			p->seats += batch[i].seats;
			p->votes += batch[i].votes;
			p->candidates += batch[i].candidates;
		}
		return MH_OK;
	}

	if ((uint64_t) s->nparties + fresh > UINT32_MAX / 2)
		return mh_fail(err, MH_ETOOBIG, "More than %u party labels.", UINT32_MAX / 2);
	merged = alloc->alloc(alloc->ctx, ((size_t) s->nparties + fresh) * sizeof(mh_party));
	if (merged == NULL)
		return mh_fail(err, MH_ENOMEM, "Out of memory for %u party labels.", s->nparties + fresh);

	/* copy the new labels first, so that a failure changes nothing */
	for (i = 0, j = 0, k = 0; i < s->nparties || j < n; k++)
	{
		int			c;

		mh_check_interrupts(alloc, k);
		if (i == s->nparties)
			c = 1;
		else if (j == n)
			c = -1;
		else
			c = label_cmp(s->parties[i].label, s->parties[i].len, batch[j].label, batch[j].len);
		if (c < 0)
			merged[k] = s->parties[i++];
		else if (c == 0)
		{
			merged[k] = s->parties[i++];
			merged[k].seats += batch[j].seats;
			merged[k].votes += batch[j].votes;
			merged[k].candidates += batch[j].candidates;
			j++;
		}
		else
		{
			merged[k] = batch[j++];
			merged[k].label = copy_label(alloc, batch[j - 1].label, batch[j - 1].len);
			if (merged[k].label == NULL)
			{
				/* free the labels copied so far */
				if (alloc->free != NULL)
				{
					uint32_t	m;
					uint32_t	si = 0;

					for (m = 0; m < k; m++)
					{
						/* labels that came from the state are still the state's */
						if (si < s->nparties && merged[m].label == s->parties[si].label)
							si++;
						else
							alloc->free(alloc->ctx, merged[m].label);
					}
					alloc->free(alloc->ctx, merged);
				}
				return mh_fail(err, MH_ENOMEM, "Out of memory for a party label.");
			}
		}
	}
	if (s->parties != NULL && alloc->free != NULL)
		alloc->free(alloc->ctx, s->parties);
	s->parties = merged;
	s->nparties = s->capacity = k;
	return MH_OK;
}

/* Sorts a batch and folds entries with equal labels into one; returns the count. */
static uint32_t
fold_batch(mh_party *batch, uint32_t n, const mh_allocator *alloc, mh_error *err,
		   mh_status *status)
{
	uint32_t	i,
				out = 0;

	*status = MH_OK;
	if (n == 0)
		return 0;
	mh_sort(batch, n, sizeof(mh_party), party_cmp, alloc);
	for (i = 1; i < n; i++)
	{
		mh_party   *last = &batch[out];

		mh_check_interrupts(alloc, i);
		if (party_cmp(last, &batch[i]) == 0)
		{
			if (mh_add_overflow(last->votes, batch[i].votes, &last->votes) ||
				mh_add_overflow(last->candidates, batch[i].candidates, &last->candidates))
			{
				*status = mh_fail(err, MH_EOVERFLOW,
								  "A party's votes add up beyond the 64-bit range.");
				return 0;
			}
			last->seats += batch[i].seats;
		}
		else
			batch[++out] = batch[i];
	}
	return out + 1;
}

mh_status
mh_seats_add(mh_seats *s, const mh_seat_candidate *candidates, size_t n,
			 bool registered_known, int64_t registered, int64_t cast,
			 int64_t invalid, mh_error *err)
{
	const mh_allocator *alloc = s->alloc;
	mh_party   *batch = NULL;
	uint32_t	nbatch;
	int64_t		valid = 0,
				best = 0,
				seats,
				filled,
				total_reg = s->registered,
				total_cast,
				total_invalid,
				total_valid,
				total_candidates;
	size_t		i,
				winner = n;
	bool		tie = false;
	mh_status	status;

	if (n > UINT32_MAX / 2)
		return mh_fail(err, MH_ETOOBIG, "A constituency has more than %u candidates.", UINT32_MAX / 2);
	if (cast < 0 || invalid < 0 || (registered_known && registered < 0))
		return mh_fail(err, MH_ENEGATIVE, "Ballots cast, blank or invalid ballots and registered voters cannot be negative.");
	for (i = 0; i < n; i++)
	{
		mh_check_interrupts(alloc, i);
		if (candidates[i].votes < 0)
			return mh_fail(err, MH_ENEGATIVE,
						   "A candidate has %" PRId64 " votes, but counts cannot be negative.",
						   candidates[i].votes);
		if (candidates[i].party_len > MH_SEATS_MAX_LABEL)
			return mh_fail(err, MH_ETOOBIG, "A party label has more than %u bytes.", MH_SEATS_MAX_LABEL);
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
	if (tie)
		winner = n;
	if (mh_add_overflow(valid, invalid, &total_valid) || total_valid > cast)
		return mh_fail(err, MH_EINCONSISTENT,
					   "Candidate votes (%" PRId64 ") plus blank or invalid ballots (%" PRId64 ") exceed ballots cast (%" PRId64 ").",
					   valid, invalid, cast);
	if (registered_known && cast > registered)
		return mh_fail(err, MH_EINCONSISTENT,
					   "Ballots cast (%" PRId64 ") exceed registered voters (%" PRId64 ").",
					   cast, registered);

	/* national counts, all checked before anything changes */
	if ((status = add_checked(&seats, s->seats, 1, "Seats", err)) != MH_OK ||
		(status = add_checked(&filled, s->filled, winner < n ? 1 : 0, "Seats", err)) != MH_OK ||
		(status = add_checked(&total_cast, s->cast, cast, "Ballots cast", err)) != MH_OK ||
		(status = add_checked(&total_invalid, s->invalid, invalid, "Blank or invalid ballots", err)) != MH_OK ||
		(status = add_checked(&total_valid, s->valid, valid, "Valid votes", err)) != MH_OK ||
		(status = add_checked(&total_candidates, s->candidates, (int64_t) n, "Candidates", err)) != MH_OK)
		return status;
	if (registered_known && !s->registered_unknown &&
		(status = add_checked(&total_reg, s->registered, registered, "Registered voters", err)) != MH_OK)
		return status;

	if (n > 0)
	{
		batch = alloc->alloc(alloc->ctx, n * sizeof(mh_party));
		if (batch == NULL)
			return mh_fail(err, MH_ENOMEM, "Out of memory for %zu candidates.", n);
		for (i = 0; i < n; i++)
		{
			/* borrowed: merge_batch copies the labels it keeps */
			batch[i].label = (char *) candidates[i].party;
			batch[i].len = candidates[i].party_len;
			batch[i].seats = i == winner ? 1 : 0;
			batch[i].votes = candidates[i].votes;
			batch[i].candidates = 1;
		}
		nbatch = fold_batch(batch, (uint32_t) n, alloc, err, &status);
		if (status == MH_OK)
			status = merge_batch(s, batch, nbatch, err);
		if (alloc->free != NULL)
			alloc->free(alloc->ctx, batch);
		if (status != MH_OK)
			return status;
	}

	s->seats = seats;
	s->filled = filled;
	s->cast = total_cast;
	s->invalid = total_invalid;
	s->valid = total_valid;
	s->candidates = total_candidates;
	if (!registered_known)
		s->registered_unknown = true;
	else if (!s->registered_unknown)
		s->registered = total_reg;
	if (s->registered_unknown)
		s->registered = 0;
	return MH_OK;
}

mh_status
mh_seats_merge(mh_seats *s, const mh_seats *other, mh_error *err)
{
	int64_t		seats,
				filled,
				reg = 0,
				cast,
				invalid,
				valid,
				candidates;
	mh_status	status;
	bool		unknown = s->registered_unknown || other->registered_unknown;

	if ((status = add_checked(&seats, s->seats, other->seats, "Seats", err)) != MH_OK ||
		(status = add_checked(&filled, s->filled, other->filled, "Seats", err)) != MH_OK ||
		(status = add_checked(&cast, s->cast, other->cast, "Ballots cast", err)) != MH_OK ||
		(status = add_checked(&invalid, s->invalid, other->invalid, "Blank or invalid ballots", err)) != MH_OK ||
		(status = add_checked(&valid, s->valid, other->valid, "Valid votes", err)) != MH_OK ||
		(status = add_checked(&candidates, s->candidates, other->candidates, "Candidates", err)) != MH_OK)
		return status;
	if (!unknown &&
		(status = add_checked(&reg, s->registered, other->registered, "Registered voters", err)) != MH_OK)
		return status;
	if (other->nparties > 0 &&
		(status = merge_batch(s, other->parties, other->nparties, err)) != MH_OK)
		return status;
	s->seats = seats;
	s->filled = filled;
	s->cast = cast;
	s->invalid = invalid;
	s->valid = valid;
	s->candidates = candidates;
	s->registered_unknown = unknown;
	s->registered = unknown ? 0 : reg;
	return MH_OK;
}

mh_status
mh_seats_copy(mh_seats *s, const mh_seats *other, const mh_allocator *alloc,
			  mh_error *err)
{
	mh_seats_init(s, alloc);
	return mh_seats_merge(s, other, err);
}

int64_t
mh_seats_largest(const mh_seats *s)
{
	int64_t		best = -1;
	bool		tie = false;
	uint32_t	i;

	for (i = 0; i < s->nparties; i++)
	{
		mh_check_interrupts(s->alloc, i);
		if (s->parties[i].seats == 0)
			continue;
		if (best < 0 || s->parties[i].seats > s->parties[best].seats)
		{
			best = i;
			tie = false;
		}
		else if (s->parties[i].seats == s->parties[best].seats)
			tie = true;
	}
	return tie ? -1 : best;
}

/* For mh_seats_order: qsort has no context argument. */
typedef struct order_entry
{
	const mh_party *party;
	uint32_t	index;
} order_entry;

static int
order_cmp(const void *a, const void *b)
{
	const mh_party *x = ((const order_entry *) a)->party;
	const mh_party *y = ((const order_entry *) b)->party;

	if (x->seats != y->seats)
		return x->seats > y->seats ? -1 : 1;
	if (x->votes != y->votes)
		return x->votes > y->votes ? -1 : 1;
	return label_cmp(x->label, x->len, y->label, y->len);
}

mh_status
mh_seats_order(const mh_seats *s, const mh_allocator *alloc, uint32_t **order,
			   mh_error *err)
{
	order_entry *entries;
	uint32_t   *result;
	uint32_t	i;

	*order = NULL;
	if (s->nparties == 0)
		return MH_OK;
	entries = alloc->alloc(alloc->ctx, (size_t) s->nparties * sizeof(order_entry));
	result = alloc->alloc(alloc->ctx, (size_t) s->nparties * sizeof(uint32_t));
	if (entries == NULL || result == NULL)
	{
		if (alloc->free != NULL)
		{
			if (entries != NULL)
				alloc->free(alloc->ctx, entries);
			if (result != NULL)
				alloc->free(alloc->ctx, result);
		}
		return mh_fail(err, MH_ENOMEM, "Out of memory for %u parties.", s->nparties);
	}
	for (i = 0; i < s->nparties; i++)
	{
		entries[i].party = &s->parties[i];
		entries[i].index = i;
	}
	mh_sort(entries, s->nparties, sizeof(order_entry), order_cmp, alloc);
	for (i = 0; i < s->nparties; i++)
		result[i] = entries[i].index;
	if (alloc->free != NULL)
		alloc->free(alloc->ctx, entries);
	*order = result;
	return MH_OK;
}

void
mh_seats_indices(const mh_seats *s, mh_party_indices *out)
{
	double		sq = 0,
				ab = 0,
				v2 = 0,
				s2 = 0;
	uint32_t	i;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < s->nparties; i++)
	{
		double		v = s->valid > 0 ? (double) s->parties[i].votes / (double) s->valid : 0;
		double		e = s->filled > 0 ? (double) s->parties[i].seats / (double) s->filled : 0;

		mh_check_interrupts(s->alloc, i);
		sq += (v - e) * (v - e);
		ab += fabs(v - e);
		v2 += v * v;
		s2 += e * e;
	}
	out->disproportionality_known = s->valid > 0 && s->filled > 0;
	if (out->disproportionality_known)
	{
		out->gallagher = 100 * sqrt(sq / 2);
		out->loosemore_hanby = 100 * ab / 2;
	}
	out->enp_votes_known = s->valid > 0;
	if (out->enp_votes_known)
		out->enp_votes = 1 / v2;
	out->enp_seats_known = s->filled > 0;
	if (out->enp_seats_known)
		out->enp_seats = 1 / s2;
}

/* ---------------------------------------------------------------- binary */

#define SEATS_HEADER_SIZE	(1 + 1 + 7 * 8 + 4)

static uint8_t *
put64(uint8_t *p, int64_t value)
{
	uint64_t	u = (uint64_t) value;
	int			i;

	for (i = 7; i >= 0; i--)
	{
		p[i] = (uint8_t) (u & 0xFF);
		u >>= 8;
	}
	return p + 8;
}

static uint8_t *
put32(uint8_t *p, uint32_t u)
{
	p[0] = (uint8_t) (u >> 24);
	p[1] = (uint8_t) (u >> 16);
	p[2] = (uint8_t) (u >> 8);
	p[3] = (uint8_t) u;
	return p + 4;
}

static int64_t
get64(const uint8_t *p)
{
	uint64_t	u = 0;
	int			i;

	for (i = 0; i < 8; i++)
		u = (u << 8) | p[i];
	return (int64_t) u;
}

static uint32_t
get32(const uint8_t *p)
{
	return ((uint32_t) p[0] << 24) | ((uint32_t) p[1] << 16) |
		((uint32_t) p[2] << 8) | (uint32_t) p[3];
}

size_t
mh_seats_binary_size(const mh_seats *s)
{
	size_t		size = SEATS_HEADER_SIZE;
	uint32_t	i;

	for (i = 0; i < s->nparties; i++)
		size += 4 + (size_t) s->parties[i].len + 3 * 8;
	return size;
}

void
mh_seats_encode(const mh_seats *s, uint8_t *buf)
{
	uint8_t    *p = buf;
	uint32_t	i;

	*p++ = MH_SEATS_VERSION;
	*p++ = s->registered_unknown ? 1 : 0;
	p = put64(p, s->seats);
	p = put64(p, s->filled);
	p = put64(p, s->registered);
	p = put64(p, s->cast);
	p = put64(p, s->invalid);
	p = put64(p, s->valid);
	p = put64(p, s->candidates);
	p = put32(p, s->nparties);
	for (i = 0; i < s->nparties; i++)
	{
		const mh_party *party = &s->parties[i];

		p = put32(p, party->len);
		if (party->len > 0)
			memcpy(p, party->label, party->len);
		p += party->len;
		p = put64(p, party->seats);
		p = put64(p, party->votes);
		p = put64(p, party->candidates);
	}
}

mh_status
mh_seats_decode(const uint8_t *buf, size_t len, mh_seats *s,
				const mh_allocator *alloc, mh_error *err)
{
	const uint8_t *p = buf,
			   *end = buf + len;
	uint8_t		flags;
	uint32_t	n,
				i;
	int64_t		counts[7];
	int64_t		seats = 0,
				votes = 0,
				candidates = 0;
	mh_party   *parties = NULL;
	mh_status	status = MH_OK;

	mh_seats_init(s, alloc);
	if (len < SEATS_HEADER_SIZE)
		return mh_fail(err, MH_ETRUNCATED, "A seats state needs at least %d bytes, got %zu.",
					   SEATS_HEADER_SIZE, len);
	if (*p++ != MH_SEATS_VERSION)
		return mh_fail(err, MH_EVERSION, "Unknown seats state version %u.", buf[0]);
	flags = *p++;
	if (flags > 1)
		return mh_fail(err, MH_EVERSION, "Unknown seats state flags %u.", flags);
	for (i = 0; i < 7; i++, p += 8)
	{
		counts[i] = get64(p);
		if (counts[i] < 0)
			return mh_fail(err, MH_ENEGATIVE, "A seats state holds a negative count.");
	}
	n = get32(p);
	p += 4;
	/* each party takes at least 28 bytes: bound n before allocating */
	if ((size_t) n > (size_t) (end - p) / 28)
		return mh_fail(err, MH_ETRUNCATED, "A seats state claims %u parties in %zu bytes.",
					   n, (size_t) (end - p));
	if (n > 0)
	{
		parties = alloc->alloc(alloc->ctx, (size_t) n * sizeof(mh_party));
		if (parties == NULL)
			return mh_fail(err, MH_ENOMEM, "Out of memory for %u parties.", n);
	}
	for (i = 0; i < n; i++)
	{
		uint32_t	l;

		mh_check_interrupts(alloc, i);
		if (end - p < 4 || (l = get32(p), (size_t) (end - p - 4) < (size_t) l + 24))
		{
			status = mh_fail(err, MH_ETRUNCATED, "A seats state ends inside party %u.", i + 1);
			break;
		}
		p += 4;
		if (l > MH_SEATS_MAX_LABEL || memchr(p, 0, l) != NULL)
		{
			status = mh_fail(err, MH_ESYNTAX, "Party %u's label is too long or holds a NUL byte.", i + 1);
			break;
		}
		parties[i].label = (char *) p;	/* borrowed until copied below */
		parties[i].len = l;
		p += l;
		parties[i].seats = get64(p);
		parties[i].votes = get64(p + 8);
		parties[i].candidates = get64(p + 16);
		p += 24;
		if (parties[i].seats < 0 || parties[i].votes < 0 || parties[i].candidates < 0)
		{
			status = mh_fail(err, MH_ENEGATIVE, "Party %u has a negative count.", i + 1);
			break;
		}
		if (i > 0 && party_cmp(&parties[i - 1], &parties[i]) >= 0)
		{
			status = mh_fail(err, MH_EUNSORTED, "Party labels are not strictly ascending at party %u.", i + 1);
			break;
		}
		if (mh_add_overflow(seats, parties[i].seats, &seats) ||
			mh_add_overflow(votes, parties[i].votes, &votes) ||
			mh_add_overflow(candidates, parties[i].candidates, &candidates))
		{
			status = mh_fail(err, MH_EOVERFLOW, "A seats state's parties add up beyond the 64-bit range.");
			break;
		}
	}
	if (status == MH_OK && p != end)
		status = mh_fail(err, MH_ETRAILING, "A seats state has %zu bytes after its last party.",
						 (size_t) (end - p));
	if (status == MH_OK &&
		(seats != counts[1] || votes != counts[5] || candidates != counts[6] ||
		 counts[1] > counts[0] || (flags == 1 && counts[2] != 0) ||
		 counts[4] > counts[3] || counts[5] > counts[3] - counts[4] ||
		 (flags == 0 && counts[3] > counts[2])))
		status = mh_fail(err, MH_EINCONSISTENT,
						 "A seats state's parties do not add up to its seats filled, votes and candidates, or its counts contradict each other.");
	if (status == MH_OK)
	{
		s->seats = counts[0];
		s->filled = counts[1];
		s->registered = counts[2];
		s->registered_unknown = flags == 1;
		s->cast = counts[3];
		s->invalid = counts[4];
		s->valid = counts[5];
		s->candidates = counts[6];
		/* the labels point into buf: merging copies them */
		if (n > 0)
			status = merge_batch(s, parties, n, err);
		if (status != MH_OK)
			mh_seats_init(s, alloc);
	}
	if (parties != NULL && alloc->free != NULL)
		alloc->free(alloc->ctx, parties);
	return status;
}
