/**
 * Describes DTO properties for the API docs from their class-validator decorators, so a DTO documents
 * itself: its types, enums, limits and required fields are exactly what validation enforces. A property
 * that already has @ApiProperty keeps it.
 */
import { ApiProperty } from '@nestjs/swagger';
import { getMetadataStorage } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata.js';
import { groupBy } from '../common/group-by.js';

type Schema = Record<string, unknown>;

/** Where @ApiProperty keeps a property's description (@nestjs/swagger's API_MODEL_PROPERTIES, not exported). */
const API_MODEL_PROPERTIES = 'swagger/apiModelProperties';

/** class-validator keeps its metadata per class in a map it does not export a reader for. */
function validatedClasses(): Map<new () => unknown, ValidationMetadata[]> {
  const storage = getMetadataStorage() as unknown as { validationMetadatas?: Map<new () => unknown, ValidationMetadata[]> };
  return storage.validationMetadatas ?? new Map();
}

export function describeValidatedDtos(): void {
  for (const [target, metas] of validatedClasses()) {
    for (const [property, list] of groupBy(metas, (m) => m.propertyName)) {
      if (Reflect.getMetadata(API_MODEL_PROPERTIES, target.prototype as object, property)) continue;
      ApiProperty(schemaFor(list))(target.prototype as object, property);
    }
  }
}

function schemaFor(list: ValidationMetadata[]): Schema {
  const own: Schema = {};
  const items: Schema = {};
  let required = true;
  let isArray = false;
  for (const m of list) {
    if (m.type === 'conditionalValidation') {
      required = false;
      continue;
    }
    if (m.name === 'isArray') isArray = true;
    const into = m.each ? items : own;
    apply(into, m.name ?? '', m.constraints ?? []);
  }
  if (isArray || Object.keys(items).length) return { required, type: 'array', items: { type: 'string', ...items }, ...without(own, 'type') };
  return { required, ...own };
}

function apply(s: Schema, name: string, c: unknown[]): void {
  switch (name) {
    case 'isString':
      s.type = 'string';
      break;
    case 'isInt':
      s.type = 'integer';
      break;
    case 'isNumber':
      s.type = 'number';
      break;
    case 'isBoolean':
      s.type = 'boolean';
      break;
    case 'isObject':
      s.type = 'object';
      break;
    case 'isIn':
      s.enum = c[0];
      s.type ??= 'string';
      break;
    case 'matches':
      if (c[0] instanceof RegExp) s.pattern = c[0].source;
      s.type ??= 'string';
      break;
    case 'maxLength':
      s.maxLength = c[0];
      break;
    case 'minLength':
      s.minLength = c[0];
      break;
    case 'isNotEmpty':
      s.minLength ??= 1;
      break;
    case 'min':
      s.minimum = c[0];
      break;
    case 'max':
      s.maximum = c[0];
      break;
    case 'arrayNotEmpty':
      s.minItems = 1;
      break;
    case 'arrayUnique':
      s.uniqueItems = true;
      break;
    case 'isUrl':
      s.type = 'string';
      s.format = 'uri';
      break;
  }
}

function without(s: Schema, key: string): Schema {
  const { [key]: _drop, ...rest } = s;
  return rest;
}
