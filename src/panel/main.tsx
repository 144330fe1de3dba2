import { render } from 'preact';

render(<p>CORS Explainer</p>, document.getElementById('app') as HTMLElement);
