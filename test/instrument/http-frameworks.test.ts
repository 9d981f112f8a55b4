/**
 * The Express, Koa and Fastify adapters on real servers of each framework: every request counted by method and
 * status, each sampled one decoded with the framework's answer (status, MIME type, body size), and the counter
 * page answered by the adapter, never by the application.
 */
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { after, before, test } from 'node:test';
import express from 'express';
import Fastify from 'fastify';
import Koa from 'koa';
import { sflowExpress, sflowFastify, sflowKoa } from '../../src/instrument/framework-adapters.js';
import type { HttpSflow, HttpSflowOptions } from '../../src/instrument/http-sflow.js';
import type { FlowSample } from '../../src/sflow/model.js';
import { Collector } from '../support/sflow-collector.js';

let collector: Collector;
before(async () => {
  collector = await Collector.open();
});
after(() => collector.close());

const options = (): HttpSflowOptions => ({
  autoFile: false,
  collectors: [{ address: '127.0.0.1', port: collector.port }],
  agentAddress: '192.0.2.10',
  samplingRate: 1,
  pollingSeconds: 0,
  counterPage: true,
});

interface Running {
  port: number;
  sflow: HttpSflow;
  close: () => Promise<void>;
}

/** A server made by `listen`, once it listens. */
async function listening(listen: (ready: () => void) => Server, sflow: HttpSflow): Promise<Running> {
  const server = await new Promise<Server>((r) => {
    const s = listen(() => r(s));
  });
  return {
    port: (server.address() as { port: number }).port,
    sflow,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/** JSON at /json, 404 elsewhere: each framework's own way. */
const apps: Record<string, () => Promise<Running>> = {
  async express() {
    const app = express();
    const middleware = sflowExpress(options());
    app.use(middleware);
    app.get('/json', (_req, res) => {
      res.json({ hello: 'world' });
    });
    app.post('/json', (_req, res) => {
      res.status(201).json({ created: true });
    });
    return listening((ready) => app.listen(0, '127.0.0.1', ready), middleware.sflow);
  },
  async koa() {
    const app = new Koa();
    const middleware = sflowKoa(options());
    app.use(middleware);
    app.use(async (ctx) => {
      if (ctx.path !== '/json' || (ctx.method !== 'GET' && ctx.method !== 'POST')) return;
      ctx.body = ctx.method === 'POST' ? { created: true } : { hello: 'world' };
      if (ctx.method === 'POST') ctx.status = 201;
    });
    return listening((ready) => app.listen(0, '127.0.0.1', ready), middleware.sflow);
  },
  async fastify() {
    const app = Fastify();
    const sflow = sflowFastify(app, options());
    app.get('/json', async () => ({ hello: 'world' }));
    app.post('/json', async (_req, reply) => {
      reply.code(201);
      return { created: true };
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    return {
      port: (app.server.address() as { port: number }).port,
      sflow,
      close: () => app.close(),
    };
  },
};

async function send(port: number, method: string, path: string): Promise<{ status: number; body: string }> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    method,
    ...(method === 'POST' ? { body: '{"a":1}', headers: { 'content-type': 'application/json' } } : {}),
  });
  return { status: res.status, body: await res.text() };
}

const value = (r: unknown) => (r as { value: Record<string, unknown> }).value;

for (const [name, start] of Object.entries(apps)) {
  test(`${name}: counted, sampled with the framework's answer, and the counter page`, async (t) => {
    const { port, sflow, close } = await start();
    t.after(async () => {
      await close();
      await sflow.close();
    });
    const answers = [
      await send(port, 'GET', '/json'),
      await send(port, 'POST', '/json'),
      await send(port, 'GET', '/nothing'),
      await send(port, 'DELETE', '/json'),
    ];
    assert.deepEqual(
      answers.map((a) => a.status),
      [200, 201, 404, 404],
    );
    const page = await send(port, 'GET', '/sflow');
    assert.equal(page.status, 200);
    assert.match(page.body, /^counter method_get_count 2$/m);
    assert.match(page.body, /^counter method_post_count 1$/m);
    assert.match(page.body, /^counter method_delete_count 1$/m);
    assert.match(page.body, /^counter status_2XX_count 2$/m);
    assert.match(page.body, /^counter status_4XX_count 2$/m);
    sflow.exporter.flush();
    await collector.until(() => collector.flows(port).length === 4);
    const flows: FlowSample[] = collector.flows(port);
    const requests = flows.map((f) => value(f.records[1]));
    assert.deepEqual(
      requests.map((r) => [r.method, r.uri, r.status]),
      [
        [2, '/json', 200],
        [4, '/json', 201],
        [2, '/nothing', 404],
        [6, '/json', 404],
      ],
    );
    assert.equal(requests[0].mimeType, 'application/json; charset=utf-8');
    assert.equal(requests[0].respBytes, BigInt(Buffer.byteLength(answers[0].body)));
    assert.equal(requests[1].respBytes, BigInt(Buffer.byteLength(answers[1].body)));
    assert.ok(flows.every((f) => f.records[0].name === 'extended_socket_ipv4' && f.sourceIdIndex === port));
    assert.equal(sflow.counters().methodGetCount, 2, 'the page is not counted');
  });
}
