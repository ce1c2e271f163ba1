'use strict';
// Server reflection of airproxd, proven with clients this project did not write: @grpc/grpc-js and
// grpc-js-reflection-client, with no .proto file and no generated code. Lists the services,
// fetches the descriptor of airprox.v1.Tracks through reflection, calls ListTracks and GetTrack
// from it, and asks the standard health service.
//
// Usage: AIRPROX_NPM_DIR=build/npm node reflection_test.js HOST:PORT TRACK_ID...
// (the tracks named must be live: the wrapper, reflection_test.sh, replays a recording first).
// Prints one line per check; exits 0 when all pass, 1 at the first failure.

const path = require('path');
const { createRequire } = require('module');

const [address, ...expectedTracks] = process.argv.slice(2);
if (!address || !process.env.AIRPROX_NPM_DIR) {
  console.error('usage: AIRPROX_NPM_DIR=DIR node reflection_test.js HOST:PORT TRACK_ID...');
  process.exit(2);
}
// The packages come from the folder reflection_test.sh installed them into, not from next to this
// file; one require for both so that they share one @grpc/grpc-js.
const requireInstalled = createRequire(path.join(path.resolve(process.env.AIRPROX_NPM_DIR), 'package.json'));
const grpc = requireInstalled('@grpc/grpc-js');
const { GrpcReflection } = requireInstalled('grpc-js-reflection-client');

const REQUIRED_SERVICES = [
  'airprox.v1.TrackIngest',
  'airprox.v1.Encounters',
  'airprox.v1.Tracks',
  'grpc.health.v1.Health',
];
const DEADLINE_MS = 10000;
const credentials = grpc.credentials.createInsecure();

function check(condition, what, detail) {
  if (!condition) throw new Error(`${what}${detail === undefined ? '' : `: ${detail}`}`);
  console.log(`ok: ${what}`);
}

function deadline() {
  return { deadline: Date.now() + DEADLINE_MS };
}

// A unary call on a grpc-js client as a promise; resolves to {error, response}.
function unary(client, method, request) {
  return new Promise((resolve) => {
    client[method](request, deadline(), (error, response) => resolve({ error, response }));
  });
}

// A client of grpc.health.v1.Health: from reflection when the server can describe it, else by hand.
// gRPC C++ 1.51's built-in health service has no protobuf descriptor, so its reflection lists the
// service but answers "Symbol not found" for it. Its messages are tiny and fixed by the standard:
// HealthCheckRequest{string service = 1}, HealthCheckResponse{ServingStatus status = 1}, SERVING = 1.
async function healthClient(reflection) {
  try {
    const api = (await reflection.getDescriptorBySymbol('grpc.health.v1.Health', deadline()))
      .getPackageObject({ keepCase: true, enums: String, defaults: true });
    console.log('health: client from the reflected descriptor');
    const client = new api.grpc.health.v1.Health(address, credentials);
    return { client, serving: (response) => response.status === 'SERVING' };
  } catch (error) {
    console.log(`health: reflection cannot describe it (${error.message}); messages coded by hand`);
  }
  const decodeStatus = (bytes) => {
    if (bytes.length === 0) return 0;  // UNKNOWN, the default, is not on the wire
    if (bytes.length === 2 && bytes[0] === 0x08) return bytes[1];
    throw new Error(`unexpected HealthCheckResponse bytes ${bytes.toString('hex')}`);
  };
  const Health = grpc.makeGenericClientConstructor({
    Check: {
      path: '/grpc.health.v1.Health/Check',
      requestStream: false,
      responseStream: false,
      requestSerialize: () => Buffer.alloc(0),  // service "": the whole server
      responseDeserialize: decodeStatus,
    },
  }, 'Health');
  return { client: new Health(address, credentials), serving: (status) => status === 1 };
}

async function main() {
  // The gRPC 1.51 server serves grpc.reflection.v1alpha (the client's default version).
  const reflection = new GrpcReflection(address, credentials);

  const services = await reflection.listServices('*', deadline());
  console.log(`services: ${services.join(' ')}`);
  for (const s of REQUIRED_SERVICES) check(services.includes(s), `reflection lists ${s}`);

  const methods = (await reflection.listMethods('airprox.v1.Tracks', deadline())).map((m) => m.name).sort();
  check(methods.join(',') === 'GetTrack,ListTracks', 'reflection describes Tracks.ListTracks and Tracks.GetTrack',
    methods.join(','));

  // The whole descriptor of the file that defines Tracks, with what it imports
  // (google/protobuf/timestamp.proto), turned into a grpc-js client without any .proto file.
  const descriptor = await reflection.getDescriptorBySymbol('airprox.v1.Tracks', deadline());
  const api = descriptor.getPackageObject({ keepCase: true, longs: String, enums: String, defaults: true });
  const Tracks = api.airprox && api.airprox.v1 && api.airprox.v1.Tracks;
  check(typeof Tracks === 'function', 'the reflected descriptor makes a Tracks client');
  const tracks = new Tracks(address, credentials);

  const list = await unary(tracks, 'ListTracks', {});
  check(!list.error, 'Tracks.ListTracks through the reflected descriptor', list.error && list.error.message);
  const ids = list.response.tracks.map((t) => t.track_id);
  console.log(`tracks: ${list.response.tracks.map((t) => `${t.track_id}/${t.callsign || '-'}`).join(' ')}`);
  for (const id of expectedTracks) check(ids.includes(id), `ListTracks returns ${id}`, ids.join(','));
  for (const t of list.response.tracks) {
    check(typeof t.lat_deg === 'number' && t.time && Number(t.time.seconds) > 1e9,
      `${t.track_id} decoded with its position and data time`, JSON.stringify(t));
  }

  if (expectedTracks.length > 0) {
    const one = await unary(tracks, 'GetTrack', { track_id: expectedTracks[0] });
    check(!one.error && one.response.track_id === expectedTracks[0], `Tracks.GetTrack(${expectedTracks[0]})`,
      one.error ? one.error.message : JSON.stringify(one.response));
  }
  const missing = await unary(tracks, 'GetTrack', { track_id: 'no-such-track' });
  check(missing.error && missing.error.code === grpc.status.NOT_FOUND, 'Tracks.GetTrack of an unknown id is NOT_FOUND',
    missing.error ? missing.error.message : 'no error');
  tracks.close();

  const health = await healthClient(reflection);
  const healthCheck = await unary(health.client, 'Check', {});
  check(!healthCheck.error && health.serving(healthCheck.response), 'grpc.health.v1.Health/Check is SERVING',
    healthCheck.error ? healthCheck.error.message : JSON.stringify(healthCheck.response));
  health.client.close();
}

main().then(() => {
  console.log('PASS');
  process.exit(0);
}, (error) => {
  console.error(`FAIL: ${error.message || error}`);
  process.exit(1);
});
