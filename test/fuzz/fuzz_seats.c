/*-------------------------------------------------------------------------
 *
 * fuzz_seats.c
 *	  libFuzzer harness for the seats aggregate's serialized state.
 *
 * The input bytes are decoded as they are (they reach seats_state_recv
 * and, as hex, seats_state_in in the server, where anyone can type a
 * state).  A failure must carry its status and detail; a success must be
 * a state whose parties add up to its national line, with no party
 * holding more seats than candidates, whose encoding is byte-identical to
 * the input (the form is canonical), and which merges with itself into a
 * state of twice the counts.  Any broken invariant aborts.
 *
 * test/fuzz/fuzz_seats.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seats.h"
#include "fuzz_common.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	mh_seats	s,
				twice;
	mh_seats_result r,
				r2;
	mh_error	err;
	mh_status	status;
	uint8_t    *copy,
			   *bin;
	size_t		len;
	int64_t		votes = 0,
				seats = 0,
				candidates = 0;
	uint32_t	i;

	copy = malloc(size > 0 ? size : 1);
	require(copy != NULL, "malloc");
	memcpy(copy, data, size);
	memset(&err, 0x5A, sizeof(err));
	status = mh_seats_decode(copy, size, &s, &heap, 7, &err);
	if (status != MH_OK)
	{
		require(status != MH_ENOMEM, "decoding bytes does not run out of memory");
		require(err.status == status, "the error records its status");
		require(memchr(err.detail, '\0', sizeof(err.detail)) != NULL &&
				err.detail[0] != '\0', "the detail is a non-empty string");
		free(copy);
		return 0;
	}
	require(mh_seats_result_make(&s, &heap, &r, &err) == MH_OK, "a decoded state has results");
	for (i = 0; i < r.nparties; i++)
	{
		require(r.rows[i].votes >= 0 && r.rows[i].seats >= 0 && r.rows[i].candidates >= 1,
				"no party has a negative count or no candidate");
		require(r.rows[i].seats <= r.rows[i].candidates,
				"no party has more seats than candidates");
		require(i == 0 || mh_key_compare(r.rows[i - 1].label, r.rows[i - 1].len,
										 r.rows[i].label, r.rows[i].len) < 0,
				"parties are strictly ascending");
		votes += r.rows[i].votes;
		seats += r.rows[i].seats;
		candidates += r.rows[i].candidates;
	}
	require(votes == r.valid && seats == r.filled && candidates == r.candidates,
			"the parties add up to the national line");
	require(r.filled <= r.seats && r.valid + r.invalid <= r.cast, "the national line is consistent");
	require(r.registered_unknown || r.cast <= r.registered, "ballots within registered voters");
	require(!mh_tally_registered_known(r.votes) && !mh_tally_registered_known(r.won) &&
			!mh_tally_registered_known(r.stood), "registered voters only in the header");
	for (i = 0; i < r.won->ncandidates; i++)
		require(r.won->votes[i].votes >= 1, "every party among the seats won has a seat");
	require(mh_seats_encode(&r, &heap, &bin, &len, &err) == MH_OK, "a decoded state encodes");
	require(len == size && memcmp(bin, copy, size) == 0, "the encoding is canonical");
	free(bin);

	/* merged with itself: every count doubles, or a clean overflow */
	require(mh_seats_decode(copy, size, &twice, &heap, 11, &err) == MH_OK, "decoding is repeatable");
	status = mh_seats_merge(&twice, &s, &err);
	require(status == MH_OK || status == MH_EOVERFLOW, "merging fails only by overflow");
	if (status == MH_OK)
	{
		require(mh_seats_result_make(&twice, &heap, &r2, &err) == MH_OK, "a merged state has results");
		require(r2.seats == 2 * r.seats && r2.valid == 2 * r.valid && r2.nparties == r.nparties,
				"merging a state with itself doubles it");
		mh_seats_result_release(&r2, &heap);
	}
	mh_seats_result_release(&r, &heap);
	mh_seats_release(&twice);
	mh_seats_release(&s);
	free(copy);
	return 0;
}
