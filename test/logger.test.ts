import { describe, expect, it } from 'vitest';
import { createLogger, scrubSecrets } from '../src/logger.js';
import { captureLogs } from './helpers/logs.js';

describe('logger', () => {
  it('redacts secret fields, known secret values and tokens inside strings', async () => {
    const { lines, destination } = captureLogs();
    const logger = createLogger({ level: 'info', secrets: ['sup3r-s3cret-value'], destination });
    const child = logger.child({ job: 'crawl' });
    child.info({ token: 'abc', headers: { authorization: 'Bearer x' } }, 'fields');
    child.error({ err: new Error('request failed with client_secret=sup3r-s3cret-value') }, 'boom');
    child.warn('calling https://discord.com/api/v10/webhooks/123456/aW50ZXJhY3Rpb246MTIzNDU2Nzg5MDEyMzQ1Njc4OTA/messages/@original');
    child.warn('Authorization: Bot MTIzNDU2Nzg5MDEyMzQ1Njc4.GhIjKl.abcdefghijklmnop');
    await new Promise((resolve) => setImmediate(resolve));
    const text = lines.join('');
    expect(text).toContain('"job":"crawl"');
    expect(text).not.toContain('sup3r-s3cret-value');
    expect(text).not.toContain('aW50ZXJhY3Rpb246MTIzNDU2Nzg5MDEyMzQ1Njc4OTA');
    expect(text).not.toContain('GhIjKl.abcdefghijklmnop');
    expect(text).not.toContain('"token":"abc"');
    expect(text).toContain('[redacted]');
  });

  it('scrubs query-string tokens', () => {
    expect(scrubSecrets('GET /cb?code=xyz123&state=1', [])).toBe('GET /cb?code=[redacted]&state=1');
  });
});
