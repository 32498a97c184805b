// The projects, kept by replaying the project log, and every change appended to it first: the
// in-memory state only ever follows what the log made durable.
import type { ProjectEventStore } from '../ports.ts';
import type { ProjectEvent } from './project-events.ts';
import { applyProjectEvent, type ProjectState } from './project-state.ts';

export class ProjectBook {
  private readonly projects = new Map<string, ProjectState>();

  private constructor(
    private readonly store: ProjectEventStore,
    private readonly defaultBudget: number,
  ) {}

  static async open(store: ProjectEventStore, defaultBudget: number): Promise<ProjectBook> {
    const book = new ProjectBook(store, defaultBudget);
    for await (const entry of store.entries()) applyProjectEvent(book.projects, entry.body, defaultBudget);
    return book;
  }

  get(projectId: string): ProjectState | undefined {
    return this.projects.get(projectId);
  }

  all(): ProjectState[] {
    return [...this.projects.values()];
  }

  async append(event: ProjectEvent): Promise<void> {
    const stored = await this.store.append(event);
    applyProjectEvent(this.projects, stored.body, this.defaultBudget);
  }
}
