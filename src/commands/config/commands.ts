import type { CommandSpec, GroupSpec } from '../../cli/spec.js';

export const CONFIG_GROUPS: readonly GroupSpec[] = [{ name: 'config', summary: 'the resolved connection settings and the named cluster profiles' }];

export const CONFIG_COMMANDS: readonly CommandSpec[] = [
  {
    path: ['config', 'show'],
    summary: 'print the resolved connection settings and where each came from (secrets redacted)',
    output: true,
    load: () => import('./show.js'),
  },
  {
    path: ['config', 'profiles'],
    summary: 'list the cluster profiles --profile can name (~/.config/iotmsg/profiles/*.properties)',
    output: true,
    load: () => import('./profiles.js'),
  },
  {
    path: ['completion'],
    summary: 'print the shell completion script for bash, zsh or fish',
    arguments: '<shell>',
    examples: ['source <(iotmsg completion bash)      # in ~/.bashrc', 'source <(iotmsg completion zsh)       # in ~/.zshrc', 'iotmsg completion fish > ~/.config/fish/completions/iotmsg.fish'],
    load: () => import('./completion.js'),
  },
];
