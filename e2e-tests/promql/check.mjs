// Parses PromQL expressions with Prometheus' own grammar (@prometheus-io/lezer-promql, the one its web UI uses) and
// tells, for each, its syntax errors and the metric names and label names it uses, so MetricsContractIT can check
// them against what the services export.
// Input (file given as the first argument): [{"id": "...", "expr": "..."}]. Output (stdout): the same list with
// "errors": ["..."], "metrics": ["name", ...], "labels": {"name": ["label", ...]}, "grouping": ["label", ...].
import { readFileSync } from 'node:fs';
import { parser } from '@prometheus-io/lezer-promql';

const input = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const out = input.map(({ id, expr }) => {
  const tree = parser.parse(expr);
  const errors = [];
  const metrics = new Set();
  const labels = {};
  const grouping = new Set();
  const text = (node) => expr.slice(node.from, node.to);
  tree.iterate({
    enter: (ref) => {
      if (ref.type.isError) {
        errors.push(`syntax error at ${ref.from}: '${expr.slice(Math.max(0, ref.from - 20), ref.to + 20)}'`);
      }
      if (ref.name === 'VectorSelector') {
        const node = ref.node;
        const name = node.getChild('Identifier');
        const metric = name ? text(name) : null;
        const used = [];
        const matchers = node.getChild('LabelMatchers');
        if (matchers) {
          for (let m = matchers.firstChild; m; m = m.nextSibling) {
            const label = m.getChild('LabelName');
            if (label) used.push(text(label));
          }
        }
        if (metric) {
          metrics.add(metric);
          labels[metric] = [...new Set([...(labels[metric] || []), ...used])];
        } else {
          errors.push(`a selector without a metric name: '${text(node)}'`);
        }
      }
      if (ref.name === 'GroupingLabels') {
        const parent = ref.node.parent;
        // "without (...)" names labels to drop: one that does not exist is harmless, so only by/on/group_x count.
        const without = parent && parent.getChild('Without');
        const ignoring = parent && parent.getChild('Ignoring');
        if (!without && !ignoring) {
          for (let l = ref.node.firstChild; l; l = l.nextSibling) {
            if (l.name === 'LabelName') grouping.add(text(l));
          }
        }
      }
    },
  });
  if (expr.trim() === '') errors.push('empty expression');
  return { id, expr, errors, metrics: [...metrics], labels, grouping: [...grouping] };
});
process.stdout.write(JSON.stringify(out));
