/*-------------------------------------------------------------------------
 *
 * tally_binary.c
 *	  Encoder and decoder of the tally's binary form (see tally_binary.h).
 *
 * src/core/tally_binary.c
 *
 *-------------------------------------------------------------------------
 */
#include "tally_binary.h"

#include <inttypes.h>

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

static int64_t
get64(const uint8_t *p)
{
	uint64_t	u = 0;
	int			i;

	for (i = 0; i < 8; i++)
		u = (u << 8) | p[i];
	return (int64_t) u;
}

size_t
mh_tally_binary_size(const mh_tally *t)
{
	return MH_BINARY_HEADER_SIZE + (size_t) t->ncandidates * 16;
}

void
mh_tally_encode(const mh_tally *t, uint8_t *buf)
{
	uint8_t    *p = buf;
	uint32_t	i;

	*p++ = t->version;
	*p++ = t->flags;
	p = put64(p, t->registered);
	p = put64(p, t->cast);
	p = put64(p, t->invalid);
	*p++ = (uint8_t) (t->ncandidates >> 24);
	*p++ = (uint8_t) (t->ncandidates >> 16);
	*p++ = (uint8_t) (t->ncandidates >> 8);
	*p++ = (uint8_t) t->ncandidates;
	for (i = 0; i < t->ncandidates; i++)
	{
		p = put64(p, t->votes[i].candidate);
		p = put64(p, t->votes[i].votes);
	}
}

mh_status
mh_tally_decode(const uint8_t *buf, size_t len, const mh_allocator *alloc,
				mh_tally **result, mh_error *err)
{
	uint32_t	n;
	size_t		body;
	mh_tally   *t;
	mh_status	status;
	uint32_t	i;

	if (len < MH_BINARY_HEADER_SIZE)
		return mh_fail(err, MH_ETRUNCATED,
					   "A binary tally needs at least %d bytes, but only %zu are present.",
					   MH_BINARY_HEADER_SIZE, len);
	if (buf[0] != MH_TALLY_VERSION)
		return mh_fail(err, MH_EVERSION,
					   "Tally format version %u is not known; this build reads version %u.",
					   (unsigned) buf[0], (unsigned) MH_TALLY_VERSION);
	n = ((uint32_t) buf[26] << 24) | ((uint32_t) buf[27] << 16) |
		((uint32_t) buf[28] << 8) | (uint32_t) buf[29];
	if (n > MH_TALLY_MAX_CANDIDATES)
		return mh_fail(err, MH_ETOOBIG, "A tally names %u candidates; at most %u are allowed.",
					   (unsigned) n, (unsigned) MH_TALLY_MAX_CANDIDATES);
	body = (size_t) n * 16;
	if (len - MH_BINARY_HEADER_SIZE < body)
		return mh_fail(err, MH_ETRUNCATED,
					   "A binary tally of %u candidates needs %zu bytes, but only %zu are present.",
					   (unsigned) n, MH_BINARY_HEADER_SIZE + body, len);
	if (len - MH_BINARY_HEADER_SIZE > body)
		return mh_fail(err, MH_ETRAILING,
					   "A binary tally of %u candidates takes %zu bytes, but %zu are present.",
					   (unsigned) n, MH_BINARY_HEADER_SIZE + body, len);

	t = alloc->alloc(alloc->ctx, mh_tally_size(n));
	if (t == NULL)
		return mh_fail(err, MH_ENOMEM, "Could not allocate a tally of %u candidates.",
					   (unsigned) n);
	t->version = buf[0];
	t->flags = buf[1];
	t->reserved = 0;
	t->ncandidates = n;
	t->registered = get64(buf + 2);
	t->cast = get64(buf + 10);
	t->invalid = get64(buf + 18);
	for (i = 0; i < n; i++)
	{
		t->votes[i].candidate = get64(buf + MH_BINARY_HEADER_SIZE + (size_t) i * 16);
		t->votes[i].votes = get64(buf + MH_BINARY_HEADER_SIZE + (size_t) i * 16 + 8);
	}
	status = mh_tally_check(t, mh_tally_size(n), err);
	if (status != MH_OK)
	{
		if (alloc->free != NULL)
			alloc->free(alloc->ctx, t);
		return status;
	}
	*result = t;
	return MH_OK;
}
