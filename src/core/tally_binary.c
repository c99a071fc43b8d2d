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
#include <string.h>

size_t
mh_tally_binary_size(const mh_tally *t)
{
	/* number keys: 8 + 8 each; text keys: 4 + its bytes + 8 each */
	size_t		trailer = mh_trailer_size(t->flags);

	if (mh_tally_key_kind(t) == MH_KEYS_TEXT)
		return MH_BINARY_HEADER_SIZE + (size_t) t->ncandidates * 12 +
			(mh_tally_body_size(t) - mh_tally_size(t->ncandidates)) + trailer;
	return MH_BINARY_HEADER_SIZE + (size_t) t->ncandidates * 16 + trailer;
}

void
mh_tally_encode(const mh_tally *t, uint8_t *buf)
{
	uint8_t    *p = buf;
	bool		text_keys = mh_tally_key_kind(t) == MH_KEYS_TEXT;
	uint32_t	i;

	*p++ = t->version;
	*p++ = t->flags;
	p = mh_put64(p, t->registered);
	p = mh_put64(p, t->cast);
	p = mh_put64(p, t->invalid);
	p = mh_put32(p, t->ncandidates);
	for (i = 0; i < t->ncandidates; i++)
	{
		if (text_keys)
		{
			const char *key;
			uint32_t	len;

			mh_tally_key(t, i, &key, &len);
			p = mh_put32(p, len);
			memcpy(p, key, len);
			p += len;
		}
		else
			p = mh_put64(p, t->votes[i].candidate);
		p = mh_put64(p, t->votes[i].votes);
	}
	if (t->flags & MH_TALLY_TRAILER_FLAGS)
	{
		mh_tally_extra x;

		mh_tally_get_extra(t, &x);
		if (t->flags & MH_TALLY_BLANK_KNOWN)
			p = mh_put64(p, x.blank);
		if (t->flags & MH_TALLY_ISSUED_KNOWN)
			p = mh_put64(p, x.issued);
		if (t->flags & MH_TALLY_PARTS)
		{
			p = mh_put64(p, x.parts);
			p = mh_put64(p, x.provisional);
		}
	}
}

mh_status
mh_tally_decode(const uint8_t *buf, size_t len, const mh_allocator *alloc,
				mh_tally **result, mh_error *err)
{
	uint32_t	n;
	size_t		body,
				keys = 0,
				trailer;
	bool		text_keys;
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
	if ((buf[1] & ~MH_TALLY_FLAGS_ALL) != 0)
		return mh_fail(err, MH_EVERSION,
					   "Tally flags 0x%02x hold bits this build does not know.",
					   (unsigned) buf[1]);
	n = mh_get32(buf + 26);
	if (n > MH_TALLY_MAX_CANDIDATES)
		return mh_fail(err, MH_ETOOBIG, "A tally names %u candidates; at most %u are allowed.",
					   (unsigned) n, (unsigned) MH_TALLY_MAX_CANDIDATES);
	text_keys = (buf[1] & MH_TALLY_TEXT_KEYS) != 0;
	trailer = mh_trailer_size(buf[1]);
	body = (size_t) n * (text_keys ? 12 : 16) + trailer;
	if (len - MH_BINARY_HEADER_SIZE < body)
		return mh_fail(err, MH_ETRUNCATED,
					   "A binary tally of %u candidates needs %zu bytes, but only %zu are present.",
					   (unsigned) n, MH_BINARY_HEADER_SIZE + body, len);
	if (text_keys)
		keys = len - MH_BINARY_HEADER_SIZE - body;
	else if (len - MH_BINARY_HEADER_SIZE > body)
		return mh_fail(err, MH_ETRAILING,
					   "A binary tally of %u candidates takes %zu bytes, but %zu are present.",
					   (unsigned) n, MH_BINARY_HEADER_SIZE + body, len);
	if (keys > (size_t) INT32_MAX)
		return mh_fail(err, MH_ETOOBIG, "A binary tally's keys take %zu bytes; at most %d are allowed.",
					   keys, INT32_MAX);

	t = alloc->alloc(alloc->ctx, mh_tally_size(n) + keys + trailer);
	if (t == NULL)
		return mh_fail(err, MH_ENOMEM, "Could not allocate a tally of %u candidates.",
					   (unsigned) n);
	t->version = buf[0];
	t->flags = buf[1];
	t->reserved = 0;
	t->ncandidates = n;
	t->registered = mh_get64(buf + 2);
	t->cast = mh_get64(buf + 10);
	t->invalid = mh_get64(buf + 18);
	{
		const uint8_t *p = buf + MH_BINARY_HEADER_SIZE;
		const uint8_t *end = buf + len;
		char	   *area = (char *) (t->votes + n);
		size_t		off = 0;

		for (i = 0; i < n; i++)
		{
			mh_check_interrupts(alloc, i);
			if (text_keys)
			{
				uint32_t	klen;

				/*
				 * This entry and every one after it need 12 bytes besides
				 * their keys: what is left for this key is at most the rest,
				 * so the keys never outgrow the area allocated for them.
				 */
				size_t		fixed = (size_t) (n - i) * 12 + trailer;

				if ((size_t) (end - p) < fixed ||
					(klen = mh_get32(p)) > (size_t) (end - p) - fixed)
				{
					status = mh_fail(err, MH_ETRUNCATED,
									 "Candidate %u of the binary tally runs past its end.",
									 (unsigned) i + 1);
					goto fail;
				}
				memcpy(area + off, p + 4, klen);
				t->votes[i].candidate = mh_key_pack((uint32_t) off, klen);
				off += klen;
				p += 4 + klen;
			}
			else
			{
				t->votes[i].candidate = mh_get64(p);
				p += 8;
			}
			t->votes[i].votes = mh_get64(p);
			p += 8;
		}
		/* the trailer, in the order of tally.h, native order after the keys */
		if (trailer > 0)
		{
			char	   *w = area + (text_keys ? off : 0);
			size_t		k;

			if ((size_t) (end - p) < trailer)
			{
				status = mh_fail(err, MH_ETRUNCATED,
								 "The binary tally's trailer runs past its end.");
				goto fail;
			}
			for (k = 0; k < trailer; k += 8)
			{
				int64_t		value = mh_get64(p + k);

				memcpy(w + k, &value, 8);
			}
			p += trailer;
		}
		if (p != end)
		{
			status = mh_fail(err, MH_ETRAILING,
							 "A binary tally of %u candidates takes %zu bytes, but %zu are present.",
							 (unsigned) n, (size_t) (p - buf), len);
			goto fail;
		}
		status = mh_tally_check(t, mh_tally_size(n) + off + trailer, err);
	}
	if (status == MH_OK)
	{
		*result = t;
		return MH_OK;
	}
fail:
	if (alloc->free != NULL)
		alloc->free(alloc->ctx, t);
	return status;
}
