'use strict';
// maslihat's PostgreSQL types as JavaScript values.
//
//   const { Tally, pg, postgres } = require('maslihat');
//   await pg.registerTypes(client);      // node-postgres
//   await postgres.registerTypes(sql);   // postgres.js
//
// Every count is a BigInt (exact beyond 2^53); numeric values are strings
// of their exact digits (pass them to a decimal library to compute).

const { Tally } = require('./tally');

module.exports = {
	Tally,
	get pg() { return require('./pg'); },
	get postgres() { return require('./postgres'); },
};
