# maslihat: exact first-past-the-post election counting for PostgreSQL

EXTENSION = maslihat
MODULE_big = maslihat
EXTVERSION = 0.2.0

OBJS = \
	src/core/mh_common.o \
	src/core/tally.o \
	src/core/counter.o \
	src/core/tally_text.o \
	src/core/tally_binary.o \
	src/core/outcome.o \
	src/core/ranking.o \
	src/core/seats.o \
	src/maslihat.o \
	src/tally_io.o \
	src/tally_agg.o \
	src/tally_accessors.o \
	src/tally_json.o \
	src/outcome_sql.o \
	src/summary.o \
	src/candidate_sql.o \
	src/seats_sql.o

DATA = $(wildcard maslihat--*.sql)

REGRESS = tally_io tally_binary tally_json aggregates grains rules window errors oracle parallel readme sample_rules malformed text_keys rule_sets seats
REGRESS_OPTS = --inputdir=. --load-extension=maslihat

PG_CPPFLAGS = -I$(srcdir)/src
PG_CFLAGS = -Wall -Wextra -Werror -Wno-unused-parameter -Wno-missing-field-initializers -Wno-sign-compare -Wno-implicit-fallthrough -Wno-clobbered -Wno-cast-function-type

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# every object is rebuilt when any header changes (PGXS tracks no dependencies)
$(OBJS): $(wildcard src/*.h src/core/*.h)

.PHONY: unit fuzz
unit:
	$(MAKE) -C test unit

fuzz:
	$(MAKE) -C test fuzz
