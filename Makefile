# maslihat: exact first-past-the-post election counting for PostgreSQL
#
#   make && make install                 with the pg_config on PATH
#   make PG_CONFIG=/usr/lib/postgresql/17/bin/pg_config   for another PostgreSQL
#   make WERROR=1                        warnings are errors (the project's own test builds)
#   make -f SRC/Makefile VPATH=SRC USE_PGXS=1   out of tree, from an empty folder
#                                        (as Debian's pg_buildext does)

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
	src/core/audit.o \
	src/maslihat.o \
	src/tally_io.o \
	src/tally_agg.o \
	src/tally_accessors.o \
	src/tally_protocol.o \
	src/tally_json.o \
	src/outcome_sql.o \
	src/summary.o \
	src/candidate_sql.o \
	src/seats_sql.o \
	src/audit_sql.o

# the folder of this Makefile: the sources, also in an out-of-tree build
mh_srcdir := $(patsubst %/,%,$(dir $(firstword $(MAKEFILE_LIST))))

DATA = $(notdir $(wildcard $(mh_srcdir)/maslihat--*.sql))

REGRESS = tally_io tally_binary tally_json aggregates grains rules window errors oracle parallel sample_rules malformed text_keys rule_sets seats audit citus_contract parts
REGRESS_OPTS = --load-extension=maslihat

PG_CPPFLAGS = -I$(srcdir)/src
PG_CFLAGS = -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers -Wno-sign-compare -Wno-implicit-fallthrough -Wno-clobbered -Wno-cast-function-type

# -Werror only where asked for: a user's build must not fail on a newer
# compiler's new warning
ifeq ($(WERROR),1)
PG_CFLAGS += -Werror
endif

PG_CONFIG ?= pg_config
ifeq ($(strip $(PG_CONFIG)),)
$(error PG_CONFIG is empty: set it to the pg_config of the PostgreSQL to build for, or leave it unset for the one on PATH)
endif
PGXS := $(shell $(PG_CONFIG) --pgxs 2>/dev/null)
ifeq ($(PGXS),)
$(error $(PG_CONFIG) --pgxs failed: is PG_CONFIG the pg_config of a PostgreSQL with its server headers installed? (Debian: apt-get install postgresql-server-dev-NN, then make PG_CONFIG=/usr/lib/postgresql/NN/bin/pg_config))
endif
ifeq ($(wildcard $(PGXS)),)
$(error $(PG_CONFIG) names $(PGXS), which does not exist: install the server headers (Debian: postgresql-server-dev-NN))
endif
include $(PGXS)

# out of tree, the objects go to src/ and src/core/ under the current folder
ifneq ($(abspath $(mh_srcdir)),$(CURDIR))
$(shell mkdir -p src/core)
endif

# every object is rebuilt when any header changes (PGXS tracks no dependencies)
$(OBJS): $(wildcard $(mh_srcdir)/src/*.h $(mh_srcdir)/src/core/*.h)

.PHONY: unit fuzz
unit:
	$(MAKE) -C $(mh_srcdir)/test unit

fuzz:
	$(MAKE) -C $(mh_srcdir)/test fuzz
