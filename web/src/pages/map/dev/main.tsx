// A development entry that mounts the map page alone, for checking it in a browser before the route
// /map is wired into src/main.tsx. Not part of the production bundle (web/index.html never loads it).
import { render } from 'preact';
import '../../../styles/base.css';
import { MapPage } from '../Map';

render(<MapPage />, document.getElementById('app')!);
