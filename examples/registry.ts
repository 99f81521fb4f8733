import { defineScopes, type ScopeNameOf } from '../src/index.js'

/**
 * The seed's scope system (shared/seeds/scopes.md): 15 scopes over 9 resources, with the seed's
 * descriptions word for word. The only place the example lists its scopes.
 */
export const registry = defineScopes({
  User: {
    'read:self': 'Access your own user profile information, including basic account details and settings.'
  },
  Chat: {
    'read:chat': 'Read chat conversations, messages, and chat-related data. This includes viewing chat lists and message history.',
    'write:chat': 'Create new chats and send messages. This scope is required for any chat-related actions that modify data.'
  },
  Fan: {
    'read:fan': 'Access fan-related data and information within the platform.'
  },
  Creator: {
    'read:creator': 'Access creator profiles, content, and creator-specific information.',
    'write:creator': 'Modify creator profiles, settings, and creator-specific data.'
  },
  Media: {
    'read:media': 'Access media files, images, videos, and other content assets.',
    'write:media': 'Upload, modify, and manage media files and content assets. Also required for vault folder management.'
  },
  Posts: {
    'read:post': 'Read posts, including post details, comments, likes, and tips.',
    'write:post': 'Create, edit, and manage posts and content on behalf of users.'
  },
  Insights: {
    'read:insights': 'Access analytics, metrics, and insights data for performance tracking.'
  },
  'Tracking Links': {
    'read:tracking_links': 'Read tracking links and the users associated with them, including per-user tracking metadata.',
    'write:tracking_links': 'Create and delete tracking links.'
  },
  Agency: {
    'read:agency': "Read agency information, including the agency's team members.",
    'write:agency': 'Manage agency team members and invites, including inviting new team members and creators.'
  }
})

/** The example's scope names, for compile-time checks of `config.scopes`. */
export type ExampleScope = ScopeNameOf<typeof registry>
