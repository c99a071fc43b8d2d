# maslihat through R's RPostgreSQL (Debian's r-cran-rpostgresql), which has
# no adapter: what it does with bigint, numeric and maslihat's types, and
# that counts cast to text and read with bit64::as.integer64 stay exact.
# Run by test/sh/clients_r.sh as  Rscript test/clients/client_r.R
# with PGHOST, PGPORT, PGUSER and PGDATABASE naming a database that holds
# test/clients/fixture.sql.  Ends with "N passed, M failed".

suppressMessages(library(RPostgreSQL))
suppressMessages(library(bit64))

passed <- 0
failed <- 0
check <- function(what, ok, detail = "") {
	if (isTRUE(ok)) {
		passed <<- passed + 1
	} else {
		failed <<- failed + 1
		cat("FAILED: ", what, if (nzchar(detail)) paste0(": ", detail), "\n", sep = "")
	}
}

con <- dbConnect(PostgreSQL(), host = Sys.getenv("PGHOST"), port = Sys.getenv("PGPORT"),
				 user = Sys.getenv("PGUSER"), dbname = Sys.getenv("PGDATABASE"))
warned <- character()
df <- withCallingHandlers(
	dbGetQuery(con, "SELECT id, registered, 4503599627370497::int8 AS not_null, turnout(t), t,
	                        outcome(t, 'kz1994') AS o, registered::text AS registered_text,
	                        turnout(t)::text AS turnout_text
	                 FROM constituency_tally ORDER BY id"),
	warning = function(w) {
		warned <<- c(warned, conditionMessage(w))
		invokeRestart("muffleWarning")
	})
cat("RPostgreSQL", as.character(packageVersion("RPostgreSQL")), "column classes:",
	paste(names(df), sapply(df, class), collapse = ", "), "\n")
check("a bigint column is a double, NULL or not", is.double(df$registered) && is.double(df$not_null))
check("9007199254740993 arrives as 9007199254740992",
	  sprintf("%.0f", df$registered[6]) == "9007199254740992", sprintf("%.0f", df$registered[6]))
check("a numeric column is a double", is.double(df$turnout) &&
	  sprintf("%.20f", df$turnout[6]) == "50.00000000000000710543", sprintf("%.20f", df$turnout[6]))
check("tally and fptp_outcome arrive as their text forms, with a warning each",
	  df$t[1] == "registered=10 cast=6 invalid=1 votes={11:3,12:2}" &&
	  df$o[1] == "(11,3,12,2,1,5,1,6,10,60,t,f,f,,11,2,f,11,12,11,60,40,20,50)" &&
	  sum(grepl("unrecognized PostgreSQL field type (tally|fptp_outcome)", warned)) == 2,
	  paste(warned, collapse = "; "))
exact <- as.integer64(df$registered_text)
check("cast to text and read with bit64::as.integer64: exact, NULL as NA",
	  as.character(exact[6]) == "9007199254740993" && is.na(exact[5]))
check("numeric cast to text keeps psql's digits", df$turnout_text[6] == "50.0000000000000056")
lv <- dbGetQuery(con, "SELECT 'city'::maslihat_level AS l")
check("maslihat_level arrives as character", is.character(lv$l) && lv$l == "city")
invisible(dbDisconnect(con))
cat(passed, " passed, ", failed, " failed\n", sep = "")
quit(status = if (failed == 0) 0 else 1)
