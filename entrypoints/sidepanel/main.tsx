import { createRoot } from 'react-dom/client';
import '../../components/page.css';
import '../../components/badge.css';
import '../../components/thread/thread.css';
import './sidepanel.css';
import { SidePanelApp } from './App';

createRoot(document.getElementById('root')!).render(<SidePanelApp />);
