import Fastify from 'fastify';

// The benchmark's baseline: the same body parsing as the collector (text/plain JSON),
// then 202 with no validation and no storage. Whatever the collector costs beyond this is ours.
const app = Fastify({ logger: false, bodyLimit: 16 * 1024 });
app.removeContentTypeParser('text/plain');
app.addContentTypeParser('text/plain', { parseAs: 'string' }, app.getDefaultJsonParser('error', 'error'));
app.post('/api/v1/reviews', async (_request, reply) => reply.code(202).send({ accepted: true }));
await app.listen({ port: Number(process.argv[2]), host: '127.0.0.1' });
console.log('ready');
