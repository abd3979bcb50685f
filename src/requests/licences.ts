import spdx from 'spdx-license-list';

export interface Licence {
  id: string;
  name: string;
}

/** The licences the Government of Canada's open-source guidance names most, offered first. */
const common = ['MIT', 'Apache-2.0', 'BSD-3-Clause', 'GPL-3.0-only', 'LGPL-3.0-only', 'MPL-2.0'];

/** Every OSI-approved licence in the SPDX list: the deliverable must be open source. */
export const osiLicences: readonly Licence[] = Object.entries(spdx)
  .filter(([, licence]) => licence.osiApproved)
  .map(([id, licence]) => ({ id, name: licence.name }))
  .sort(
    (a, b) =>
      (common.indexOf(a.id) + 1 || 99) - (common.indexOf(b.id) + 1 || 99) ||
      a.name.localeCompare(b.name),
  );

const ids = new Set(osiLicences.map((l) => l.id));

export const isOsiLicence = (id: unknown): boolean => typeof id === 'string' && ids.has(id);
