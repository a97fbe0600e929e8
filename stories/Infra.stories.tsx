// Placeholder proving that stories run as Vitest tests in Chromium. Delete once real stories exist.
import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, within } from 'storybook/test';

function InfraButton({ label }: { label: string }) {
  return <button type="button">{label}</button>;
}

const meta = {
  title: 'Infra/Button',
  component: InfraButton,
  args: { label: 'Send' },
} satisfies Meta<typeof InfraButton>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Default: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByRole('button')).toHaveTextContent('Send');
  },
};
