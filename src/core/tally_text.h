/*-------------------------------------------------------------------------
 *
 * tally_text.h
 *	  The tally's text form, which a person can read and type.
 *
 *	 registered=1000 cast=620 invalid=3 votes={17:300,42:317}
 *
 * Fields are key=value, separated by white space, each at most once, in
 * any order on input and in the order above on output.  votes lists
 * candidate:votes pairs in braces, in any order on input and ascending on
 * output.  A field left out on input means: registered unknown (and it is
 * left out on output when unknown), invalid 0, votes none, cast the sum of
 * invalid and all votes.  At least one field must be given.
 *
 * Since 0.2.0 a protocol may say more (tally.h's trailer), each field
 * written only when there is something to say:
 *
 *	 registered=1000 issued=625 cast=620 invalid=3 blank=1 votes={...}
 *	   parts=1 provisional=1
 *
 * issued is the ballots issued (left out: unknown); blank the blank
 * ballots among invalid (left out: unknown, unless invalid is 0); parts
 * the parts (station protocols) the tally holds and provisional how many
 * of them are provisional (left out: 0, no parts mark).  Text without
 * them reads as it did in 0.1.0.
 *
 * src/core/tally_text.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef MASLIHAT_TALLY_TEXT_H
#define MASLIHAT_TALLY_TEXT_H

#include "tally.h"

/* Parses NUL-terminated text into a checked tally. */
extern mh_status mh_tally_parse(const char *text, const mh_allocator *alloc,
								mh_tally **result, mh_error *err);

/* Exactly the room mh_tally_format needs, its terminating NUL included. */
extern size_t mh_tally_format_size(const mh_tally *t);

/*
 * Writes the canonical text; returns its length (without the NUL).  hooks,
 * if not NULL, lends its check_interrupts to the loop over candidates.
 */
extern size_t mh_tally_format(const mh_tally *t, char *buf, const mh_allocator *hooks);

#endif							/* MASLIHAT_TALLY_TEXT_H */
