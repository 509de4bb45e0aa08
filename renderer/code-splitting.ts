/**
 * Vue and zod get chunks of their own: the window's entry imports the connection to main first
 * (src/main.ts), and a module runs only after the whole chunk it sits in, so with Vue in the same
 * chunk as naive-ui the connection would open only after naive-ui's code had run.
 */
export const windowCodeSplitting = {
  groups: [
    { name: 'vue', test: /[\\/]node_modules[\\/](@vue|vue|pinia)[\\/]/, priority: 2 },
    { name: 'zod', test: /[\\/]node_modules[\\/]zod[\\/]/, priority: 1 },
    // the connection to main, with what it imports besides Vue and zod
    { name: 'connection', test: /[\\/]renderer[\\/]src[\\/]api[\\/]client\.ts$/, priority: 0 },
  ],
};
