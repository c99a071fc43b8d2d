-- What the maslihat extension puts in the catalog, one line per fact,
-- sorted: functions with their arguments, defaults, result, volatility,
-- strictness, parallel safety, comment and body; composite types' columns
-- and their comments; types; casts; aggregates and their support
-- functions; operators; operator classes and families with their members;
-- every member object by name.  test/sh/upgrade.sh runs it against a fresh
-- CREATE EXTENSION and against the oldest version plus every update: the
-- two outputs must be identical.  Run with psql -At.

SELECT 'F ' || p.oid::regprocedure || ' ' || pg_get_function_arguments(p.oid)
	|| ' -> ' || pg_get_function_result(p.oid) || ' ' || p.prokind::text
	|| p.provolatile::text || p.proisstrict::text || p.proparallel::text
	|| p.proretset::text || p.prosecdef::text || p.proleakproof::text
	|| ' cost=' || p.procost || ' rows=' || p.prorows
	|| ' lang=' || (SELECT lanname FROM pg_language WHERE oid = p.prolang)
	|| ' config=' || coalesce(p.proconfig::text, '')
	|| ' ' || coalesce(obj_description(p.oid, 'pg_proc'), '<none>')
	|| ' ' || coalesce(p.probin, '') || ' ' || coalesce(p.prosrc, '')
	|| coalesce(pg_get_function_sqlbody(p.oid), '')
FROM pg_proc p
JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
 AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'maslihat')
ORDER BY 1;

SELECT 'T ' || t.typname || ' ' || a.attnum || ' ' || a.attname || ' '
	|| format_type(a.atttypid, a.atttypmod) || ' ' || a.attisdropped::text || ' '
	|| coalesce(col_description(t.typrelid, a.attnum), '<none>')
FROM pg_type t
JOIN pg_depend d ON d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e'
 AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'maslihat')
JOIN pg_attribute a ON a.attrelid = t.typrelid
WHERE a.attnum > 0
ORDER BY 1;

SELECT 'Y ' || t.typname || ' ' || t.typtype::text || ' len=' || t.typlen
	|| ' align=' || t.typalign::text || ' storage=' || t.typstorage::text
	|| ' ' || t.typinput::text || ' ' || t.typoutput::text || ' ' || t.typreceive::text
	|| ' ' || t.typsend::text || ' category=' || t.typcategory::text
	|| ' array=' || coalesce(format_type(t.typarray, NULL), '-')
	|| ' ' || coalesce(obj_description(t.oid, 'pg_type'), '<none>')
FROM pg_type t
JOIN pg_depend d ON d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e'
 AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'maslihat')
ORDER BY 1;

SELECT 'E ' || e.enumtypid::regtype || ' ' || e.enumsortorder || ' ' || e.enumlabel
FROM pg_enum e
JOIN pg_depend d ON d.classid = 'pg_type'::regclass AND d.objid = e.enumtypid AND d.deptype = 'e'
 AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'maslihat')
ORDER BY e.enumtypid::regtype::text, e.enumsortorder;

SELECT 'C ' || c.castsource::regtype || '->' || c.casttarget::regtype || ' '
	|| c.castfunc::regprocedure || ' ' || c.castcontext::text || c.castmethod::text || ' '
	|| coalesce(obj_description(c.oid, 'pg_cast'), '<none>')
FROM pg_cast c
JOIN pg_depend d ON d.classid = 'pg_cast'::regclass AND d.objid = c.oid AND d.deptype = 'e'
 AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'maslihat')
ORDER BY 1;

SELECT 'A ' || a.aggfnoid::regprocedure || ' ' || a.aggkind::text || a.aggnumdirectargs
	|| ' ' || a.aggtransfn::regprocedure || ' ' || a.aggfinalfn || ' ' || a.aggcombinefn
	|| ' ' || a.aggserialfn || ' ' || a.aggdeserialfn || ' ' || a.aggmtransfn || ' '
	|| a.aggminvtransfn || ' ' || a.aggmfinalfn || ' ' || a.aggfinalextra::text
	|| a.aggmfinalextra::text || a.aggfinalmodify::text || a.aggmfinalmodify::text
	|| ' ' || a.aggsortop || ' ' || a.aggtranstype::regtype || ' ' || a.aggtransspace
	|| ' ' || a.aggmtranstype || ' ' || a.aggmtransspace
	|| ' init=' || coalesce(a.agginitval, '-') || ' minit=' || coalesce(a.aggminitval, '-')
FROM pg_aggregate a
JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = a.aggfnoid AND d.deptype = 'e'
 AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'maslihat')
ORDER BY 1;

SELECT 'O ' || o.oid::regoperator || ' ' || o.oprkind::text || ' ' || o.oprcode::regproc
	|| ' -> ' || o.oprresult::regtype || ' com=' || o.oprcom::regoperator::text
	|| ' neg=' || o.oprnegate::regoperator::text || ' ' || o.oprrest || ' ' || o.oprjoin
	|| ' ' || o.oprcanhash::text || o.oprcanmerge::text
	|| ' ' || coalesce(obj_description(o.oid, 'pg_operator'), '<none>')
FROM pg_operator o
JOIN pg_depend d ON d.classid = 'pg_operator'::regclass AND d.objid = o.oid AND d.deptype = 'e'
 AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'maslihat')
ORDER BY 1;

SELECT 'P ' || (SELECT amname FROM pg_am WHERE oid = c.opcmethod) || ' ' || c.opcname
	|| ' family=' || f.opfname || ' type=' || c.opcintype::regtype || ' default='
	|| c.opcdefault::text || ' ' || coalesce(obj_description(c.oid, 'pg_opclass'), '<none>')
	|| ' / ' || coalesce(obj_description(f.oid, 'pg_opfamily'), '<none>')
FROM pg_opclass c
JOIN pg_opfamily f ON f.oid = c.opcfamily
JOIN pg_depend d ON d.classid = 'pg_opclass'::regclass AND d.objid = c.oid AND d.deptype = 'e'
 AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'maslihat')
ORDER BY 1;

SELECT 'Q ' || f.opfname || ' op ' || ao.amopstrategy || ' ' || ao.amopopr::regoperator
FROM pg_amop ao JOIN pg_opfamily f ON f.oid = ao.amopfamily
WHERE f.oid IN (SELECT opcfamily FROM pg_opclass c
				JOIN pg_depend d ON d.classid = 'pg_opclass'::regclass AND d.objid = c.oid AND d.deptype = 'e'
				 AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'maslihat'))
UNION ALL
SELECT 'Q ' || f.opfname || ' proc ' || ap.amprocnum || ' ' || ap.amproc::regprocedure
FROM pg_amproc ap JOIN pg_opfamily f ON f.oid = ap.amprocfamily
WHERE f.oid IN (SELECT opcfamily FROM pg_opclass c
				JOIN pg_depend d ON d.classid = 'pg_opclass'::regclass AND d.objid = c.oid AND d.deptype = 'e'
				 AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'maslihat'))
ORDER BY 1;

-- every member, whatever its kind
SELECT 'M ' || pg_describe_object(d.classid, d.objid, d.objsubid)
FROM pg_depend d
WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
  AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'maslihat')
ORDER BY 1;
