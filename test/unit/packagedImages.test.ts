/**
 * The pictures a user sees come from the .vsix: the README (Extensions view) and the Getting
 * Started walkthrough (its steps' Markdown, from package.json) show images by relative path.
 * Each must exist, be a PNG, have alt text, and be in the package; and the package carries
 * no screenshot that nothing shows (.vscodeignore lists them one by one).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { markdownImages } from '../support/markdownImages';

const REPO = path.resolve(__dirname, '..', '..');
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The Markdown files shown from the package: the README and each walkthrough step's media. */
function shownMarkdownFiles(): string[] {
  const manifest = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as {
    contributes?: { walkthroughs?: Array<{ steps?: Array<{ media?: { markdown?: string } }> }> };
  };
  const steps = (manifest.contributes?.walkthroughs ?? []).flatMap((w) => w.steps ?? []);
  return ['README.md', ...steps.flatMap((s) => (s.media?.markdown ? [s.media.markdown] : []))];
}

/** Every image those files show, as a path from the repository root, with the file and alt text. */
function shownImages(): Array<{ file: string; image: string; alt: string; src: string }> {
  return shownMarkdownFiles().flatMap((file) =>
    markdownImages(readFileSync(path.join(REPO, file), 'utf8')).map(({ alt, src }) => ({
      file,
      alt,
      src,
      image: path.posix.normalize(path.posix.join(path.posix.dirname(file), src)),
    })),
  );
}

describe('images in the README and the walkthrough', () => {
  let packaged: Set<string>;

  before(function () {
    this.timeout(60_000);
    // vsce's own listing (it applies .vscodeignore exactly as `vsce package` does); no build needed.
    const vsce = path.join(REPO, 'node_modules', '.bin', process.platform === 'win32' ? 'vsce.cmd' : 'vsce');
    const listing = execFileSync(vsce, ['ls', '--no-dependencies'], { cwd: REPO, encoding: 'utf8', timeout: 60_000, shell: process.platform === 'win32' });
    packaged = new Set(listing.split('\n').map((l) => l.trim()).filter(Boolean));
  });

  it('the README shows screenshots near the top', () => {
    const readme = shownImages().filter((i) => i.file === 'README.md');
    assert.ok(readme.length >= 1, 'the README shows no image');
    const firstHeading = readFileSync(path.join(REPO, 'README.md'), 'utf8').indexOf('\n## ');
    const firstImage = readFileSync(path.join(REPO, 'README.md'), 'utf8').indexOf('![');
    assert.ok(firstImage >= 0 && firstImage < firstHeading, 'the first screenshot comes after the first section heading');
  });

  it('every image shown exists, is a PNG, has alt text, and is in the .vsix', () => {
    const images = shownImages();
    assert.ok(images.length > 0);
    for (const { file, image, alt, src } of images) {
      assert.doesNotMatch(src, /^[a-z][a-z+.-]*:/i, `${file}: ${src} is not a file of the package`);
      assert.ok(alt.trim().length >= 10, `${file}: ${src} needs alt text that says what it shows`);
      const bytes = readFileSync(path.join(REPO, image));
      assert.ok(bytes.subarray(0, 8).equals(PNG_SIGNATURE), `${image} is not a PNG`);
      assert.ok(packaged.has(image), `${image} (shown by ${file}) is not in the .vsix: add it to .vscodeignore`);
    }
  });

  it('the .vsix carries no screenshot that nothing shows', () => {
    const shown = new Set(shownImages().map((i) => i.image));
    const unused = [...packaged].filter((f) => f.startsWith('media/screenshots/') && !shown.has(f));
    assert.deepEqual(unused, [], 'shipped but shown by neither the README nor the walkthrough');
  });

  it('packaging keeps relative image links only while there is no repository to point them at', () => {
    // Without `repository`, vsce refuses relative README images unless told not to rewrite them;
    // with one, that flag would keep them relative and the Marketplace would show none
    // (docs/development.md, "Publishing: the README's images").
    const manifest = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { repository?: unknown };
    const relative = shownImages().some((i) => i.file === 'README.md' && !/^https:/i.test(i.src));
    for (const packager of ['scripts/packagePlatforms.mjs', 'test/e2e/support/codeServer.ts']) {
      const keepsLinks = readFileSync(path.join(REPO, packager), 'utf8').includes("'--no-rewrite-relative-links'");
      assert.equal(keepsLinks, relative && manifest.repository === undefined, `${packager}: --no-rewrite-relative-links ${keepsLinks ? 'passed' : 'missing'} (repository ${manifest.repository === undefined ? 'unset' : 'set'})`);
    }
  });

  it('the walkthrough steps and their Markdown are in the .vsix', () => {
    for (const file of shownMarkdownFiles()) assert.ok(packaged.has(file), `${file} is not in the .vsix`);
  });
});

describe('markdownImages', () => {
  it('finds inline images and <img> tags, and nothing else', () => {
    const md = [
      '![A chat](media/a.png) and [a link](media/b.png)',
      '| ![Light one](../s/light.png) | ![](x.png "title") |',
      '<img src="media/c.png" alt="Panel">',
      '`![not an image](code.png)`',
    ].join('\n');
    assert.deepEqual(markdownImages(md), [
      { alt: 'A chat', src: 'media/a.png' },
      { alt: 'Light one', src: '../s/light.png' },
      { alt: '', src: 'x.png' },
      { alt: 'Panel', src: 'media/c.png' },
    ]);
  });
});
