// For test/sh/clients_forms.sh: clients/node's reading of the values of
// a corpus of test/clients/forms.py (stdin), as forms.py python writes it.
//   node test/clients/forms_read.js text|binary
'use strict';

const { Tally } = require('../../clients/node/tally.js');

const form = process.argv[2];
if (form !== 'text' && form !== 'binary') throw new Error(`form is text or binary, not ${form}`);
const out = [];
for (const line of require('fs').readFileSync(0, 'ascii').split('\n')) {
	if (line === '') continue;
	const value = Buffer.from(line.slice(1), 'hex');
	try {
		const t = form === 'text' ? Tally.fromText(value.toString('utf8')) : Tally.fromBinary(value);
		out.push('x' + Buffer.from(t.toText(), 'utf8').toString('hex'));
	} catch (e) {
		// the package's refusals; anything else is a defect, compared and so shown
		out.push(e instanceof SyntaxError || e instanceof RangeError || e instanceof TypeError ? '-' : '!' + e.constructor.name);
	}
}
console.log(out.join('\n'));
