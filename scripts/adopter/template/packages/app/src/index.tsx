import '@backstage/cli/asset-types';
import ReactDOM from 'react-dom/client';
import { createApp } from '@backstage/frontend-defaults';

// Every plugin the app depends on is installed (app.packages: all).
const app = createApp();

ReactDOM.createRoot(document.getElementById('root')!).render(app.createRoot());
