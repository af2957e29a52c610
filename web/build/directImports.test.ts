import { describe, expect, it } from "vitest";
import { rewrite } from "./directImports";

const at = (path: string) => expect.stringContaining(`/node_modules/${path}"`);

describe("direct imports", () => {
  it("imports each antd component and icon from its own module", () => {
    const lines = rewrite('import { Table, Button as B } from "antd";\nimport { TagOutlined } from "@ant-design/icons";')
      .split("\n");
    expect(lines).toEqual([at("antd/es/table/index.js"), at("antd/es/button/index.js"), at("@ant-design/icons/es/icons/TagOutlined.js")]);
    expect(lines[0]).toMatch(/^import Table from /);
    expect(lines[1]).toMatch(/^import B from /);
  });

  it("follows names an index imports and exports again (rc-form's FormProvider)", () => {
    expect(rewrite("import { FormProvider as RcFormProvider } from '@rc-component/form';"))
      .toMatch(/^import \{ FormProvider as RcFormProvider \} from ".*@rc-component\/form\/es\/FormContext\.js";$/);
    expect(rewrite("import { conductCheck } from '@rc-component/tree';"))
      .toMatch(/^import \{ conductCheck \} from ".*@rc-component\/tree\/es\/utils\/conductUtil\.js";$/);
  });

  it("leaves a statement alone when one of its names is not a plain re-export", () => {
    const statement = 'import { Table, NotAComponent } from "antd";';
    expect(rewrite(statement)).toBe(statement);
    expect(rewrite('import { Table } from "./antd";')).toBe('import { Table } from "./antd";');
  });
});
