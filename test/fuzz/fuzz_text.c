/*-------------------------------------------------------------------------
 *
 * fuzz_text.c
 *	  libFuzzer harness for the tally's text form.
 *
 * The input bytes, copied into a NUL-terminated buffer, are parsed.  A
 * failure must be reported properly (status and detail, nothing leaked);
 * a success must be a checked tally whose canonical text parses back to
 * an equal tally and formats to identical text (mh_tally_format_size
 * exactly the room it takes), with every text key valid and found.  The
 * tally also has to survive the binary codec unchanged.  Any broken
 * invariant aborts.
 *
 * test/fuzz/fuzz_text.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tally.h"
#include "tally_binary.h"
#include "tally_text.h"
#include "fuzz_common.h"

static char *
format(const mh_tally *t, size_t *len)
{
	size_t		cap = mh_tally_format_size(t);
	char	   *buf = malloc(cap);

	require(buf != NULL, "malloc");
	*len = mh_tally_format(t, buf, NULL);
	require(*len + 1 == cap, "format_size is exactly the text and its NUL");
	require(strlen(buf) == *len, "format returns the length written");
	return buf;
}

/*
 * Text keys: each one valid, found by mh_tally_find_key, and the tally
 * found by number keys only when it is keyed by numbers.
 */
static void
check_keys(const mh_tally *t)
{
	uint32_t	i;

	if (mh_tally_key_kind(t) != MH_KEYS_TEXT)
	{
		for (i = 0; i < t->ncandidates; i++)
			require(mh_tally_find(t, t->votes[i].candidate) == &t->votes[i],
					"every number key is found");
		return;
	}
	for (i = 0; i < t->ncandidates; i++)
	{
		const char *key;
		uint32_t	len;

		mh_tally_key(t, i, &key, &len);
		require(mh_key_check(key, len, NULL) == MH_OK, "every text key is valid");
		require(mh_tally_find_key(t, key, len) == &t->votes[i], "every text key is found");
		require(mh_tally_find(t, t->votes[i].candidate) == NULL,
				"a text-keyed tally has no number keys");
	}
}

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *text = malloc(size + 1);
	mh_tally   *t = NULL;
	mh_tally   *t2 = NULL;
	mh_tally   *t3 = NULL;
	mh_error	err;
	mh_status	status;
	char	   *out;
	char	   *out2;
	size_t		len,
				len2;
	uint8_t    *bin;

	require(text != NULL, "malloc");
	memcpy(text, data, size);
	text[size] = '\0';

	memset(&err, 0x5A, sizeof(err));
	status = mh_tally_parse(text, &heap, &t, &err);
	if (status != MH_OK)
	{
		require(status == MH_ESYNTAX || status == MH_EOVERFLOW ||
				status == MH_ENEGATIVE || status == MH_EDUPLICATE ||
				status == MH_EINCONSISTENT || status == MH_ETOOBIG || status == MH_EKEYLENGTH ||
				status == MH_EKIND || status == MH_EKEY || status == MH_EWITHIN,
				"parse fails with a status that text can cause");
		require(err.status == status, "the error records its status");
		require(memchr(err.detail, '\0', sizeof(err.detail)) != NULL &&
				err.detail[0] != '\0', "the detail is a non-empty string");
		free(text);
		return 0;
	}

	require(t != NULL, "a tally on success");
	require(mh_tally_check(t, mh_tally_total_size(t), NULL) == MH_OK,
			"a parsed tally passes mh_tally_check");
	check_keys(t);
	require(t->cast >= mh_tally_valid_votes(t) + t->invalid, "votes fit in cast");

	/* canonical text: parses back equal, formats identically */
	out = format(t, &len);
	require(mh_tally_parse(out, &heap, &t2, &err) == MH_OK, "canonical text parses");
	require(mh_tally_equal(t, t2), "re-parsed tally is equal");
	out2 = format(t2, &len2);
	require(len == len2 && memcmp(out, out2, len) == 0, "canonical text is a fixed point");
	require(strncmp(out, "registered=", 11) == 0 || strncmp(out, "issued=", 7) == 0 ||
			strncmp(out, "cast=", 5) == 0,
			"canonical text starts with registered, issued or cast");
	{
		mh_tally_extra x;

		mh_tally_get_extra(t, &x);
		require((strstr(out, "issued=") != NULL) == x.issued_known || mh_tally_key_kind(t) == MH_KEYS_TEXT,
				"issued is printed exactly when known");
		require((strstr(out, " parts=") != NULL) == (x.parts > 0) || mh_tally_key_kind(t) == MH_KEYS_TEXT,
				"parts are printed exactly when marked");
		require(x.provisional <= x.parts && (!x.blank_known || x.blank <= t->invalid),
				"the trailer keeps its bounds");
	}
	require((strncmp(out, "registered=", 11) == 0) == mh_tally_registered_known(t),
			"registered is printed exactly when known");

	/* the binary form agrees */
	bin = malloc(mh_tally_binary_size(t));
	require(bin != NULL, "malloc");
	mh_tally_encode(t, bin);
	require(mh_tally_decode(bin, mh_tally_binary_size(t), &heap, &t3, &err) == MH_OK,
			"binary form decodes");
	require(mh_tally_equal(t, t3), "binary round trip is equal");

	free(bin);
	free(out);
	free(out2);
	free(t);
	free(t2);
	free(t3);
	free(text);
	return 0;
}
