/** The `kubeSim.*` settings the cluster starts with (package.json `contributes.configuration`). */
import * as vscode from 'vscode';
import type { NodeSettings } from '../cluster/kubelet/node-spec';

export interface ClusterSettings {
  /** 0 picks a free port. */
  port: number;
  nodes: number;
  /** Nodes beside node-1 … node-N, as the user wrote them; checked when the cluster starts. */
  extraNodes: NodeSettings[];
  speed: number;
}

export const SETTINGS_SECTION = 'kubeSim';

export function readClusterSettings(): ClusterSettings {
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  return {
    port: config.get<number>('port', 0),
    nodes: config.get<number>('nodes', 3),
    extraNodes: config.get<NodeSettings[]>('extraNodes', []),
    speed: config.get<number>('speed', 1),
  };
}

export function affectsClusterSettings(event: vscode.ConfigurationChangeEvent): boolean {
  return ['port', 'nodes', 'extraNodes', 'speed'].some((key) => event.affectsConfiguration(`${SETTINGS_SECTION}.${key}`));
}
