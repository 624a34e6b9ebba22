/**
 * Status icons: each state has its own shape and its own theme colour, so that the tree reads in a
 * colour-blind eye and in every theme (ThemeIcon + ThemeColor follow the user's theme).
 */
import * as vscode from 'vscode';
import type { PodStateKind } from './pod-status';

const icon = (id: string, color?: string) => new vscode.ThemeIcon(id, color ? new vscode.ThemeColor(color) : undefined);

export const POD_ICONS: Record<PodStateKind, vscode.ThemeIcon> = {
  running: icon('pass-filled', 'testing.iconPassed'),
  notReady: icon('warning', 'list.warningForeground'),
  pending: icon('clock', 'list.warningForeground'),
  creating: icon('sync', 'charts.blue'),
  completed: icon('check-all', 'disabledForeground'),
  failing: icon('error', 'testing.iconFailed'),
  terminating: icon('trash', 'charts.orange'),
  unknown: icon('question', 'disabledForeground'),
};

export const NODE_ICONS = {
  ready: icon('server', 'testing.iconPassed'),
  cordoned: icon('circle-slash', 'list.warningForeground'),
  notReady: icon('debug-disconnect', 'testing.iconFailed'),
  // A node whose kubelet stopped reporting: as alarming as NotReady, in its own shape (grey read as "disabled").
  unknown: icon('question', 'list.warningForeground'),
};

export const CONDITION_ICONS = {
  True: icon('check', 'testing.iconPassed'),
  False: icon('close', 'testing.iconFailed'),
  Unknown: icon('question', 'disabledForeground'),
};

export const EVENT_ICONS = {
  Normal: icon('info', 'charts.blue'),
  Warning: icon('warning', 'list.warningForeground'),
};
