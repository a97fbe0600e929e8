// Placeholder proving the jsdom `unit` project works. Delete once real tests exist.
import { render, screen } from '@testing-library/react';
import { createElement } from 'react';
import { expect, test } from 'vitest';

test('renders a div in jsdom', () => {
  render(createElement('div', { 'data-testid': 'infra' }, 'hello'));
  expect(screen.getByTestId('infra').textContent).toBe('hello');
});
