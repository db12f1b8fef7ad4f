/**
 * A channel as one IRC client knows it (the mirror's record of each group the user is in), and
 * how a group is named and described as a channel, in the mirror and in the commands alike.
 */
import type { MemberInfo } from '../../core/protocol.js';
import type { Roles } from './roles.js';

/** One channel the user is in, as this client knows it. */
export interface ChannelView {
  id: number;
  name: string;
  isRoom: boolean;
  /**
   * The members by name, in the order the hub listed them, kept in step one join or leave at a
   * time, so neither costs a pass over a big room (whose notices name only who came or went).
   */
  byName: Map<string, MemberInfo>;
  /** Operators (the owner among them) and voiced members. */
  roles: Roles;
  /** Secret (`+s`): NAMES shows it with `@`. */
  secret: boolean;
  topic: string;
  topicBy: string;
  /** When the topic was set (or first seen), in Unix seconds. */
  topicAt: number;
  /** Invite-only (`+i`): connecting to a member does not join it. */
  locked: boolean;
}

export const channelName = (group: number, room?: string): string => room ?? `#group-${group}`;

/** The topic a group shows while nobody has set one, in the channel and in LIST alike: an ad-hoc group is described, a room has none. */
export function defaultTopic(group: { id: number; isRoom: boolean }): string {
  return group.isRoom ? '' : `ICS chat group ${group.id}: every line said here reaches everyone in it; /part or bye leaves`;
}

/** Members by name, as a channel view keeps them. */
export const membersByName = (members: readonly MemberInfo[]): Map<string, MemberInfo> => new Map(members.map((m) => [m.name, m]));

/** What NAMES needs of a channel. */
export interface NamesView {
  name: string;
  members: Iterable<{ name: string; front?: string }>;
  roles: Roles;
  secret: boolean;
}
