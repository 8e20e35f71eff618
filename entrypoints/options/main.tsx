import { createRoot } from 'react-dom/client';
import '../../components/page.css';
import './options.css';
import { OptionsApp } from './App';

createRoot(document.getElementById('root')!).render(<OptionsApp />);
