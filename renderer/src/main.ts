import { mount } from 'svelte';
import './styles/global.css';
import App from './App.svelte';
import StartupError from './components/StartupError.svelte';
import { connectApi } from './api/connect.ts';
import { AppState } from './lib/app-state.svelte.ts';
import { theme } from './lib/theme.svelte.ts';

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element.');

// Before the first paint, so a light system never flashes the dark theme.
theme.start();

try {
  mount(App, { target, props: { app: new AppState(connectApi()) } });
} catch (error) {
  mount(StartupError, { target, props: { message: error instanceof Error ? error.message : String(error) } });
}
