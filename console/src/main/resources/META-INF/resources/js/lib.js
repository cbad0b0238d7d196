// Preact with hooks and htm in one module, from the org.mvnpm:htm jar (served by the console itself, never a CDN).
export * from '/_static/htm/3.1.1/preact/standalone.module.js';
