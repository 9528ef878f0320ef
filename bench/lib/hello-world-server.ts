// The reference point of every figure: a bare Fastify hello-world, nothing registered but one route.
// Run as its own process by hello-world.ts; prints {"port": N} once listening on 127.0.0.1:0.
import fastify from 'fastify';

const app = fastify();
app.get('/', async () => 'hello world');
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
process.stdout.write(`${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 })}\n`);

const stop = () => void app.close().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
