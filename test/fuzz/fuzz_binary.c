/*-------------------------------------------------------------------------
 *
 * fuzz_binary.c
 *	  libFuzzer harness for the tally's binary wire form.
 *
 * The input bytes are decoded as they are.  A failure must carry its
 * status and detail; a success must be a checked tally whose encoding is
 * byte-identical to the input (the binary form is canonical), and whose
 * canonical text parses back to an equal tally.  Flag 0x02 (text keys)
 * switches each candidate to a length-prefixed key, so the same bytes
 * exercise both layouts.  Any broken invariant
 * aborts.
 *
 * test/fuzz/fuzz_binary.c
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

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	mh_tally   *t = NULL;
	mh_tally   *t2 = NULL;
	mh_error	err;
	mh_status	status;
	uint8_t    *copy;
	uint8_t    *bin;
	char	   *text;

	/* an exactly sized copy, so that any over-read is caught */
	copy = malloc(size > 0 ? size : 1);
	require(copy != NULL, "malloc");
	memcpy(copy, data, size);

	memset(&err, 0x5A, sizeof(err));
	status = mh_tally_decode(copy, size, &heap, &t, &err);
	if (status != MH_OK)
	{
		require(status == MH_ETRUNCATED || status == MH_ETRAILING ||
				status == MH_EVERSION || status == MH_ETOOBIG || status == MH_EKEYLENGTH ||
				status == MH_ENEGATIVE || status == MH_EUNSORTED ||
				status == MH_EDUPLICATE || status == MH_EOVERFLOW ||
				status == MH_EINCONSISTENT || status == MH_EKEY || status == MH_EWITHIN,
				"decode fails with a status that bytes can cause");
		require(err.status == status, "the error records its status");
		require(memchr(err.detail, '\0', sizeof(err.detail)) != NULL &&
				err.detail[0] != '\0', "the detail is a non-empty string");
		/* the length check comes first */
		if (size < MH_BINARY_HEADER_SIZE)
			require(status == MH_ETRUNCATED, "a short input is truncated");
		free(copy);
		return 0;
	}

	require(t != NULL, "a tally on success");
	require(mh_tally_check(t, mh_tally_total_size(t), NULL) == MH_OK,
			"a decoded tally passes mh_tally_check");
	require(mh_tally_total_size(t) == size - MH_BINARY_HEADER_SIZE + MH_TALLY_HEADER_SIZE +
			(size_t) t->ncandidates * (mh_tally_key_kind(t) == MH_KEYS_TEXT ? 4 : 0),
			"the flat tally takes the bytes the binary form implies");
	require(((data[1] & MH_TALLY_TEXT_KEYS) != 0) == (mh_tally_key_kind(t) == MH_KEYS_TEXT),
			"text keys exactly when flagged");
	require(mh_tally_binary_size(t) == size, "binary size is the input size");

	bin = malloc(size);
	require(bin != NULL, "malloc");
	mh_tally_encode(t, bin);
	require(memcmp(bin, data, size) == 0, "re-encoding is byte-identical");

	text = malloc(mh_tally_format_size(t));
	require(text != NULL, "malloc");
	require(mh_tally_format(t, text, NULL) + 1 == mh_tally_format_size(t),
			"format_size is exactly the text and its NUL");
	require(mh_tally_parse(text, &heap, &t2, &err) == MH_OK, "canonical text parses");
	require(mh_tally_equal(t, t2), "text round trip is equal");

	free(text);
	free(bin);
	free(t);
	free(t2);
	free(copy);
	return 0;
}
