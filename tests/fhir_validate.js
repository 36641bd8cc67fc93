const {Fhir} = require('fhir');
const fs = require('fs');
const fhir = new Fhir();
const r = fhir.validate(JSON.parse(fs.readFileSync(process.argv[2], 'utf8')), {errorOnUnexpected: true});
const errs = r.messages.filter(m => m.severity === 'error');
console.log(JSON.stringify({valid: r.valid, errors: errs.length, messages: r.messages.slice(0, 30)}, null, 1));
