// The qdf extension: starts `qdf lsp` (the path is the `qdf.server.path` setting) and connects
// VS Code to it. Highlighting comes from the TextMate grammar; everything else from the server.

import * as vscode from "vscode";
import { LanguageClient, LanguageClientOptions, ServerOptions } from "vscode-languageclient/node";

let client: LanguageClient | undefined;

function serverOptions(): ServerOptions {
  const config = vscode.workspace.getConfiguration("qdf");
  const command = config.get<string>("server.path", "qdf") || "qdf";
  const extraEnv = config.get<Record<string, string>>("server.extraEnv", {});
  return {
    command,
    args: ["lsp"],
    options: { env: { ...process.env, ...extraEnv } },
  };
}

async function start(context: vscode.ExtensionContext): Promise<void> {
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "qdf" },
      { scheme: "untitled", language: "qdf" },
    ],
  };
  client = new LanguageClient("qdf", "qdf language server", serverOptions(), clientOptions);
  try {
    await client.start();
  } catch (error) {
    const path = vscode.workspace.getConfiguration("qdf").get<string>("server.path", "qdf");
    void vscode.window.showErrorMessage(
      `qdf: cannot start \`${path} lsp\` (${String(error)}). Install qdf or set "qdf.server.path".`,
    );
  }
  context.subscriptions.push({ dispose: () => void client?.stop() });
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  context.subscriptions.push(
    vscode.commands.registerCommand("qdf.restartServer", async () => {
      await client?.stop();
      await start(context);
    }),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration("qdf.server")) {
        await client?.stop();
        await start(context);
      }
    }),
  );
  await start(context);
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
