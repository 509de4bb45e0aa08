// first, so the connection to main opens while the rest of the window's code loads and runs
import './api/client.ts';
import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';
import './global.css';
import { i18n } from './i18n/index.ts';
import { configureNotifications, routeUncaughtErrors } from './notifications.ts';
import { useNaiveConfig } from './composables/use-naive-config.ts';
import { useAppStatusStore } from './stores/app-status.ts';
import { useServicesStore } from './stores/services.ts';
import { markWindowStarted } from './shell/load-guard.ts';

markWindowStarted();

/** How long the first screen waits for main's first answers before it is drawn anyway. */
const firstScreenWaitsAtMostMs = 250;

const app = createApp(App);
const pinia = createPinia();
app.use(pinia);
app.use(i18n);
routeUncaughtErrors(app);
// notifications raised outside components follow the same theme and language as the window
app.runWithContext(() => configureNotifications(useNaiveConfig()));
// The window's first screen is drawn with main's answers in it: its state (keychain, first run)
// and, when it opens on Service Management, the services. Both are asked before anything is
// drawn; the screen waits for them at most `firstScreenWaitsAtMostMs`, then shows what it has
// (the connecting screen, the table loading), so a slow main or cluster shows as such.
const firstAnswers = useAppStatusStore(pinia).connect().then(() => useServicesStore(pinia).prefetched());
void Promise.race([firstAnswers, new Promise((resolve) => setTimeout(resolve, firstScreenWaitsAtMostMs))]).then(() => app.mount('#app'));
