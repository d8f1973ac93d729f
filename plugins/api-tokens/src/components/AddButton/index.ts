export { AddButton } from './AddButton';
