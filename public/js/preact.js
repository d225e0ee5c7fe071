// @ts-check
// The view layer of every view: Preact with htm templates, one module file served from
// node_modules (plugins/static.ts), no build step and no bare imports (README "The control panel").
export { html, render, useState, useEffect, useRef, useCallback, useMemo } from '/vendor/htm/standalone.module.js'
