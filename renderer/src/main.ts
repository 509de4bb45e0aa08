// first, so the connection to main opens while the rest of the window's code loads and runs
import './api/client.ts';
import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';
import './global.css';
import { i18n } from './i18n/index.ts';
import { configureNotifications, routeUncaughtErrors } from './notifications.ts';
import { useNaiveConfig } from './composables/use-naive-config.ts';

const app = createApp(App);
const pinia = createPinia();
app.use(pinia);
app.use(i18n);
routeUncaughtErrors(app);
// notifications raised outside components follow the same theme and language as the window
app.runWithContext(() => configureNotifications(useNaiveConfig()));
app.mount('#app');
