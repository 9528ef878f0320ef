import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { ConfigError, isHttps, loadConfig } from './config.js';

/** Loads a configuration expected to be refused; returns the error. */
function refused(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    assert.ok(error instanceof ConfigError, `a ConfigError, got ${String(error)}`);
    return error;
  }
  assert.fail(`accepted: ${JSON.stringify(env)}`);
}

describe('configuration', () => {
  test('an empty environment gives a working default configuration', () => {
    const config = loadConfig({});
    assert.equal(config.port, 3000);
    assert.equal(config.nodeEnv, 'development');
    assert.equal(config.dataDir, path.resolve('data'));
    assert.equal(config.databaseUrl, `sqlite:${path.join(path.resolve('data'), 'maillage.db')}`);
    assert.equal(config.baseUrl, 'http://localhost:3000');
    assert.equal(config.smtpUrl, null);
    assert.equal(config.sessionSecret, null);
    assert.equal(config.jobs, true);
    assert.deepEqual(config.fetchAllowlist, []);
    assert.equal(isHttps(config), false);
  });

  test('values are read and tidied: DATA_DIR moves the database, BASE_URL loses its final slash', () => {
    const config = loadConfig({
      PORT: '8080',
      DATA_DIR: '/srv/maillage',
      BASE_URL: 'https://reseau.example.org/',
      JOBS: 'off',
      GEOCODER_URL: '',
      FETCH_ALLOWLIST: '127.0.0.1:4000, geo.internal , 10.0.0.0/8',
      TRUST_PROXY: 'true',
    });
    assert.equal(config.port, 8080);
    assert.equal(config.databaseUrl, 'sqlite:/srv/maillage/maillage.db');
    assert.equal(config.baseUrl, 'https://reseau.example.org');
    assert.equal(isHttps(config), true);
    assert.equal(config.jobs, false);
    assert.equal(config.geocoderUrl, null, 'empty GEOCODER_URL disables geocoding');
    assert.deepEqual(config.fetchAllowlist, ['127.0.0.1:4000', 'geo.internal', '10.0.0.0/8']);
    assert.equal(config.trustProxy, true);
  });

  test('PORT 0 (any free port) is accepted', () => {
    assert.equal(loadConfig({ PORT: '0' }).port, 0);
  });

  const invalid: [string, string[]][] = [
    ['PORT', ['abc', '70000', '-1', '3.5', '80 80']],
    ['NODE_ENV', ['staging']],
    ['DATABASE_URL', ['mysql://localhost/maillage', 'sqlite:', 'postgres://']],
    ['BASE_URL', ['reseau.example.org', 'ftp://reseau.example.org']],
    ['SESSION_SECRET', ['trop-court']],
    ['SMTP_URL', ['http://mail.example.org', 'pas une url']],
    ['MAIL_FROM', ['personne', 'Réseau <pas une adresse>']],
    ['TILE_URL', ['pas une url', 'https://tiles.example.org/carte.png']],
    ['GEOCODER_URL', ['geo.example.org', 'file:///etc/passwd']],
    ['FETCH_ALLOWLIST', ['http://exemple.org', 'hôte invalide']],
    ['LOG_LEVEL', ['bavard']],
    ['JOBS', ['peut-être']],
    ['ADMIN_EMAIL', ['admin']],
    ['TRUST_PROXY', ['peut-être']],
  ];
  for (const [variable, values] of invalid) {
    test(`an invalid ${variable} is refused in one line that names ${variable}`, () => {
      for (const value of values) {
        const error = refused({ [variable]: value });
        assert.equal(error.variable, variable, `${variable}=${value}`);
        assert.ok(error.message.includes(variable), error.message);
        assert.doesNotMatch(error.message, /\n/);
        assert.match(error.message, /^Configuration invalide : /);
      }
    });
  }

  test('a value quoted in the message cannot break it over several lines', () => {
    const error = refused({ FETCH_ALLOWLIST: 'bon.example.org,mauvais\nhôte' });
    assert.equal(error.variable, 'FETCH_ALLOWLIST');
    assert.doesNotMatch(error.message, /\n/);
  });

  test('blank values count as absent', () => {
    const config = loadConfig({ PORT: '  ', SMTP_URL: '', LOG_LEVEL: ' ' });
    assert.equal(config.port, 3000);
    assert.equal(config.smtpUrl, null);
    assert.equal(config.logLevel, 'info');
  });
});
