#!/usr/bin/env python3
"""Writes rules-service's reflect-config.json for a native image: every Jinjava filter, tag, test and function class
(Jinjava instantiates and calls them through reflection), the few objects templates call methods on, and our own
jinja/st2 classes. Run from the repository root after `./mvnw -q compile -pl rules-service -am`, with the Jinjava
version of the parent pom. NativeReflectionConfigTest fails when the file misses a class the engine registers."""
import json, os, re, subprocess, sys

version = sys.argv[1] if len(sys.argv) > 1 else '2.8.4'
jar = os.path.expanduser(f'~/.m2/repository/com/hubspot/jinjava/jinjava/{version}/jinjava-{version}.jar')
classes = set()
for name in subprocess.check_output(['unzip', '-Z1', jar]).decode().split():
    if name.endswith('.class'):
        c = name[:-6].replace('/', '.')
        if re.match(r'com\.hubspot\.jinjava\.lib\.(filter|filter\.time|tag|exptest|fn)\.[A-Za-z0-9_]+$', c):
            classes.add(c)
classes.update(['com.hubspot.jinjava.el.ExtendedSyntaxBuilder', 'com.hubspot.jinjava.util.ForLoop',
                'com.hubspot.jinjava.objects.collections.PyMap', 'com.hubspot.jinjava.objects.collections.SizeLimitingPyMap',
                'com.hubspot.jinjava.objects.collections.PyList', 'com.hubspot.jinjava.objects.collections.SizeLimitingPyList',
                'com.hubspot.jinjava.objects.SafeString', 'com.hubspot.jinjava.objects.Namespace',
                'com.hubspot.jinjava.el.ext.AbstractCallableMethod', 'com.google.common.collect.Lists'])
root = 'rules-service/target/classes'
for package in ['io/hookflow/rules/template/st2', 'io/hookflow/rules/template/jinja']:
    for f in os.listdir(os.path.join(root, package)):
        if f.endswith('.class'):
            classes.add((package + '/' + f[:-6]).replace('/', '.'))
entries = [{"name": c, "allDeclaredConstructors": True, "allPublicConstructors": True, "allPublicMethods": True}
           for c in sorted(classes)]
out = 'rules-service/src/main/resources/META-INF/native-image/io.hookflow/rules-service/reflect-config.json'
with open(out, 'w') as f:
    json.dump(entries, f, indent=1)
    f.write('\n')
print(f'{len(entries)} classes in {out}')
