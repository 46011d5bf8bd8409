import { mount } from 'svelte';
import App from './App.svelte';
import { theme } from './state/theme.svelte';

// Before the first paint, so the page never flashes the wrong theme.
theme.init();

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');

export default mount(App, { target });
