// Runs one Postman collection with newman's library API for conformance/run.py.
//
// Why not the newman command line: its JSON reporter writes nothing when the run times out,
// and its cli reporter crashes once a run has 10,000 failures. Against an API that is still
// missing, the suite's setNextRequest loops reach both. This driver writes the same summary
// the JSON reporter would (collection, environment, globals, run), also after a timeout or
// when one request keeps repeating, and prints one line per request as it goes.
//
// usage: node newman_driver.js <newman npm prefix> <options.json>
//   options: {collection, report, envVar: [{key, value}], folder: [names], timeout,
//             timeoutRequest, maxRepeats, environment?, globals?}
// environment and globals (variable scopes as in a report) let run.py resume a stopped run
// at the next folder with the variables the earlier folders set.
"use strict";

const fs = require("fs");
const path = require("path");

const [newmanPrefix, optionsFile] = process.argv.slice(2);
const newman = require(path.join(newmanPrefix, "node_modules", "newman"));
const options = JSON.parse(fs.readFileSync(optionsFile, "utf8"));

let written = false;

function writeReport(summary, error) {
  if (written) return;
  written = true;
  const run = Object.assign({}, summary.run);
  if (error) run.error = Object.assign({}, error, { message: String(error.message || error) });
  const report = {
    collection: summary.collection,
    environment: summary.environment,
    globals: summary.globals,
    run: run,
  };
  fs.writeFileSync(options.report, JSON.stringify(report));
}

function urlOf(request) {
  try {
    return request.url.toString();
  } catch (e) {
    return "?";
  }
}

const emitter = newman.run(
  {
    collection: options.collection,
    environment: options.environment,
    globals: options.globals,
    envVar: options.envVar,
    folder: options.folder && options.folder.length ? options.folder : undefined,
    timeout: options.timeout,
    timeoutRequest: options.timeoutRequest,
    reporters: [],
  },
  function (err, summary) {
    writeReport(summary, err);
    if (err) {
      console.log(`newman stopped: ${err.message || err}`);
      process.exit(2);
    }
    process.exit(summary.run.failures.length ? 1 : 0);
  },
);

const seen = new Map();
let executed = 0;

emitter.on("beforeItem", function (err, o) {
  const id = o.item.id;
  const count = (seen.get(id) || 0) + 1;
  seen.set(id, count);
  if (options.maxRepeats && count > options.maxRepeats) {
    const message = `request "${o.item.name}" started ${count} times: the suite is looping; stopped`;
    console.log(message);
    writeReport(emitter.summary, { message: message, looping: true, item: id });
    process.exit(3);
  }
});

emitter.on("request", function (err, o) {
  executed += 1;
  const status = err ? `error ${err.code || err.message}` : o.response ? o.response.code : "-";
  console.log(`${executed} ${o.request.method} ${urlOf(o.request)} -> ${status}  [${o.item.name}]`);
});

emitter.on("assertion", function (err, o) {
  if (err && !o.skipped) console.log(`    FAILED ${o.assertion}: ${err.message}`);
});
